// rw-register: dependencies from the inferred version edges. For v1 -> v2 on
// key k: v1's writer precedes v2's (ww), and each transaction that read v1
// precedes v2's writer (rw); the writer of a value read precedes its reader
// (wr).
#include <algorithm>
#include <tuple>

#include "txn/list_append_index.hpp"
#include "txn/rw_register_index.hpp"

namespace atomixtest::txn {

namespace {

class RegisterExplainer : public DependencyExplainer {
  public:
    explicit RegisterExplainer(std::unique_ptr<RegisterIndex> index) : index_(std::move(index)) {}

    std::string explain(uint32_t a, uint32_t b, uint8_t bit, const std::string& a_name,
                        const std::string& b_name) const override {
        const auto& index = *index_;
        auto text = [&](uint32_t v) {
            return v == index.nil ? std::string("nil") : value_text(index.history.values.value(v));
        };
        auto key = [&](uint32_t k) { return value_text(index.history.keys.value(k)); };
        const auto& history = index.history;
        for (auto mop = history.begin(history.txns[b]); mop != history.end(history.txns[b]);
             ++mop) {
            if (bit == kWr) {
                if (mop->kind != MopKind::Read || mop->value == kNone) continue;
                if (index.final_writer(mop->key, mop->value) != a) continue;
                return a_name + " wrote " + key(mop->key) + " = " + text(mop->value) + ", which " +
                       b_name + " read";
            }
            if (mop->kind != MopKind::Write || index.final_writer(mop->key, mop->value) != b) {
                continue;
            }
            for (auto other = history.begin(history.txns[a]); other != history.end(history.txns[a]);
                 ++other) {
                if (other->key != mop->key) continue;
                bool read = bit == kRw && other->kind == MopKind::Read;
                bool wrote = bit == kWw && other->kind == MopKind::Write &&
                             index.final_writer(other->key, other->value) == a;
                if (!read && !wrote) continue;
                auto v1 = other->value == kNone ? index.nil : other->value;
                if (!index.precedes(mop->key, v1, mop->value)) continue;
                if (read && v1 == index.nil) {
                    return a_name + " read " + key(mop->key) + " = nil, the initial state, which " +
                           b_name + " overwrote with " + text(mop->value);
                }
                return a_name + (read ? " read " : " set ") + key(mop->key) +
                       (read ? " = " : " to ") + text(v1) + ", and " + b_name + " set it to " +
                       text(mop->value) + ", which came later in the version order";
            }
        }
        return "";
    }

  private:
    std::unique_ptr<RegisterIndex> index_;
};

void add_edges(const RegisterIndex& index, std::vector<EdgeRecord>& edges) {
    for (const auto& read : index.external_reads) {
        auto writer = index.final_writer(read.key, read.value);
        if (writer != kNone && writer != read.txn) edges.push_back({writer, read.txn, kWr});
    }
    for (const auto& [key, v1, v2] : index.versions) {
        auto later = index.final_writer(key, v2);
        if (later == kNone) continue;
        auto earlier = index.final_writer(key, v1);
        if (earlier != kNone && earlier != later) edges.push_back({earlier, later, kWw});
        auto [reader, end] = index.readers_of(key, v1);
        for (; reader != end; ++reader) {
            if (*reader != later) edges.push_back({*reader, later, kRw});
        }
    }
}

}  // namespace

void check_register_reads(const RegisterIndex& index, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    auto key = [&](uint32_t k) { return value_text(history.keys.value(k)); };
    auto text = [&](uint32_t v) {
        return v == kNone ? std::string("nil") : value_text(history.values.value(v));
    };
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> lost;  // key, value read, txn
    std::vector<std::pair<uint32_t, uint32_t>> state;            // key -> value (kNone: nil)
    std::vector<std::pair<uint32_t, uint32_t>> first_read;       // keys first accessed by a read
    std::vector<uint32_t> written;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (history.txns[t].type != EventType::Ok) continue;
        state.clear();
        first_read.clear();
        written.clear();
        for (auto mop = history.begin(history.txns[t]); mop != history.end(history.txns[t]);
             ++mop) {
            auto known = std::find_if(state.begin(), state.end(),
                                      [&](const auto& s) { return s.first == mop->key; });
            if (mop->kind == MopKind::Write) {
                if (std::find(written.begin(), written.end(), mop->key) == written.end()) {
                    written.push_back(mop->key);
                    auto read = std::find_if(first_read.begin(), first_read.end(),
                                             [&](const auto& r) { return r.first == mop->key; });
                    if (read != first_read.end()) lost.emplace_back(mop->key, read->second, t);
                }
                if (known == state.end()) {
                    state.emplace_back(mop->key, mop->value);
                } else {
                    known->second = mop->value;
                }
                continue;
            }
            if (known != state.end() && known->second != mop->value) {
                anomalies.push_back({AnomalyClass::Internal,
                                     {t},
                                     "T1 read " + key(mop->key) + " = " + text(mop->value) +
                                         ", but its own earlier micro-ops make it " +
                                         text(known->second)});
            }
            if (known == state.end()) {
                state.emplace_back(mop->key, mop->value);
                first_read.emplace_back(mop->key, mop->value);
            }
            if (mop->value == kNone) continue;
            auto writer = index.all_writers.find(mop->key, mop->value);
            auto who = writer & ~kIntermediate;
            std::string what = "T1 read " + key(mop->key) + " = " + text(mop->value);
            if (writer == kNone) {
                anomalies.push_back(
                    {AnomalyClass::GarbageRead, {t}, what + ", a value nobody wrote"});
            } else if (history.txns[who].type == EventType::Fail) {
                anomalies.push_back(
                    {AnomalyClass::G1a, {t, who}, what + ", written by T2, which failed"});
            } else if ((writer & kIntermediate) && who != t) {
                anomalies.push_back({AnomalyClass::G1b,
                                     {t, who},
                                     what + ", which T2 wrote and then overwrote: an intermediate "
                                            "state"});
            }
        }
    }
    // Lost updates: transactions whose first access to a key read the same
    // value, and which then wrote the key.
    std::sort(lost.begin(), lost.end());
    for (size_t i = 0; i < lost.size();) {
        size_t j = i;
        while (j < lost.size() && std::get<0>(lost[j]) == std::get<0>(lost[i]) &&
               std::get<1>(lost[j]) == std::get<1>(lost[i])) {
            ++j;
        }
        if (j - i >= 2) {
            DirectAnomaly anomaly{AnomalyClass::LostUpdate, {}, ""};
            for (size_t k = i; k < j; ++k) anomaly.txns.push_back(std::get<2>(lost[k]));
            anomaly.explanation = std::to_string(j - i) + " committed transactions (T1 .. T" +
                                  std::to_string(j - i) + ") read " + key(std::get<0>(lost[i])) +
                                  " = " + text(std::get<1>(lost[i])) +
                                  " and then wrote it: each missed the others' writes";
            anomalies.push_back(std::move(anomaly));
        }
        i = j;
    }
}

Inference infer_rw_register(const TxnHistory& history) {
    Inference inference;
    auto index = std::make_unique<RegisterIndex>(history);
    build_register_index(*index, inference.anomalies, inference.unsound);
    infer_versions(*index, inference.anomalies);
    check_register_reads(*index, inference.anomalies);
    add_edges(*index, inference.edges);
    inference.explainer = std::make_unique<RegisterExplainer>(std::move(index));
    return inference;
}

}  // namespace atomixtest::txn
