// list-append: dependencies from the version orders. For each append of x to
// k by T: the writer of the element before x precedes T (ww), and so does
// every transaction whose read of k ended with that element (rw: it did not
// see x). For each read ending with y: y's writer precedes the reader (wr).
#include "txn/list_append_index.hpp"

namespace atomixtest::txn {

namespace {

class ListAppendExplainer : public DependencyExplainer {
  public:
    explicit ListAppendExplainer(std::unique_ptr<ListIndex> index) : index_(std::move(index)) {}

    std::string explain(uint32_t a, uint32_t b, uint8_t bit, const std::string& a_name,
                        const std::string& b_name) const override {
        const auto& history = index_->history;
        auto key = [&](uint32_t k) { return value_text(history.keys.value(k)); };
        auto element = [&](uint32_t e) { return value_text(history.values.value(e)); };
        const auto& tb = history.txns[b];
        for (auto mop = history.begin(tb); mop != history.end(tb); ++mop) {
            if (bit == kWr && mop->kind == MopKind::Read && mop->list_size > 0) {
                auto last = index_->last_of(*mop);
                if (index_->writer(mop->key, last) == a) {
                    return b_name + " observed " + a_name + "'s append of " + element(last) +
                           " to key " + key(mop->key);
                }
            }
            if (mop->kind != MopKind::Append) continue;
            auto previous = index_->previous(mop->key, mop->value);
            if (bit == kWw && previous != index_->init && index_->writer(mop->key, previous) == a) {
                return b_name + " appended " + element(mop->value) + " after " + a_name +
                       " appended " + element(previous) + " to " + key(mop->key);
            }
            if (bit != kRw || !read_ending(a, mop->key, previous)) continue;
            if (previous == index_->init) {
                return a_name + " observed the initial (empty) state of " + key(mop->key) +
                       ", which " + b_name + " created by appending " + element(mop->value);
            }
            return a_name + " did not observe " + b_name + "'s append of " + element(mop->value) +
                   " to " + key(mop->key);
        }
        return "";
    }

  private:
    bool read_ending(uint32_t txn, uint32_t key, uint32_t last) const {
        const auto& history = index_->history;
        for (auto mop = history.begin(history.txns[txn]); mop != history.end(history.txns[txn]);
             ++mop) {
            if (mop->kind == MopKind::Read && mop->key == key && index_->last_of(*mop) == last) {
                return true;
            }
        }
        return false;
    }

    std::unique_ptr<ListIndex> index_;
};

void add_edges(const ListIndex& index, std::vector<EdgeRecord>& edges) {
    const auto& history = index.history;
    auto usable = [&](uint32_t writer, uint32_t t) {
        return writer != kNone && writer != t && history.possible(writer);
    };
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (!history.possible(t)) continue;
        const auto& txn = history.txns[t];
        for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
            if (mop->kind == MopKind::Read) {
                // An info transaction's reads are unknown.
                if (txn.type != EventType::Ok || mop->list_size == 0) continue;
                auto writer = index.writer(mop->key, index.last_of(*mop));
                if (usable(writer, t)) edges.push_back({writer, t, kWr});
                continue;
            }
            auto previous = index.previous(mop->key, mop->value);
            if (previous != index.init) {
                auto writer = index.writer(mop->key, previous);
                if (usable(writer, t)) edges.push_back({writer, t, kWw});
            }
            auto [reader, end] = index.readers_of(mop->key, previous);
            for (; reader != end; ++reader) {
                if (*reader != t) edges.push_back({*reader, t, kRw});
            }
        }
    }
}

}  // namespace

Inference infer_list_append(const TxnHistory& history) {
    Inference inference;
    auto index = std::make_unique<ListIndex>(history);
    build_list_index(*index, inference.anomalies, inference.unsound);
    check_list_reads(*index, inference.anomalies);
    add_edges(*index, inference.edges);
    inference.explainer = std::make_unique<ListAppendExplainer>(std::move(index));
    return inference;
}

}  // namespace atomixtest::txn
