// The list-append anomalies visible without a dependency graph.
#include <algorithm>
#include <tuple>

#include "txn/list_append_index.hpp"

namespace atomixtest::txn {

namespace {

std::string key_text(const TxnHistory& history, uint32_t key) {
    return value_text(history.keys.value(key));
}

std::string element_text(const TxnHistory& history, uint32_t element) {
    return value_text(history.values.value(element));
}

// Every read of a key must be a prefix of its longest read; one example per key.
void check_prefixes(const ListIndex& index, uint32_t t, const Mop& read,
                    std::vector<uint8_t>& reported, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    auto key = read.key;
    if (reported[key]) return;
    const uint32_t* order = index.order.data() + index.order_at[key];
    for (uint32_t i = 0; i < read.list_size; ++i) {
        if (i < index.order_size[key] && history.list(read)[i] == order[i]) continue;
        reported[key] = 1;
        auto longest = index.order_reader[key];
        std::string longest_text = "[";
        for (uint32_t j = 0; j < index.order_size[key]; ++j) {
            longest_text += (j ? " " : "") + element_text(history, order[j]);
        }
        longest_text += "]";
        anomalies.push_back({AnomalyClass::IncompatibleOrder,
                             {t, longest == kNone ? t : longest},
                             "T1 read " + list_text(history, read) + " from " +
                                 key_text(history, key) + " and T2 read " + longest_text +
                                 ": neither is a prefix of the other, so no order of appends "
                                 "gives both"});
        return;
    }
}

void check_elements(const ListIndex& index, uint32_t t, const Mop& read,
                    std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    bool garbage = false, aborted = false;
    for (uint32_t i = 0; i < read.list_size; ++i) {
        auto element = history.list(read)[i];
        auto writer = index.writer(read.key, element);
        if (writer == kNone && !garbage) {
            garbage = true;
            anomalies.push_back({AnomalyClass::GarbageRead,
                                 {t},
                                 "T1 read " + list_text(history, read) + " from " +
                                     key_text(history, read.key) + ", but nobody appended " +
                                     element_text(history, element) + " to it"});
        } else if (writer != kNone && history.txns[writer].type == EventType::Fail && !aborted) {
            aborted = true;
            anomalies.push_back({AnomalyClass::G1a,
                                 {t, writer},
                                 "T1 read " + list_text(history, read) + " from " +
                                     key_text(history, read.key) + ", holding " +
                                     element_text(history, element) +
                                     ", appended by T2, which failed"});
        }
    }
    if (read.list_size == 0) return;
    auto last = history.list(read)[read.list_size - 1];
    auto writer = index.writers.find(read.key, last);
    if (writer != kNone && (writer & kIntermediate) && (writer & ~kIntermediate) != t) {
        anomalies.push_back({AnomalyClass::G1b,
                             {t, writer & ~kIntermediate},
                             "T1 read " + list_text(history, read) + " from " +
                                 key_text(history, read.key) + ", ending with T2's append of " +
                                 element_text(history, last) + ", which T2 followed with " +
                                 "another append to " + key_text(history, read.key) +
                                 ": an intermediate state"});
    }
}

// A transaction sees its own appends and reads: after them, a read of the key
// must end with what it appended since (and equal what it read, if it did).
void check_internal(const ListIndex& index, uint32_t t, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    const auto& txn = history.txns[t];
    struct Expected {
        uint32_t key;
        bool whole;  // the full list is known (read), else only its tail
        std::vector<uint32_t> elements;
    };
    std::vector<Expected> state;
    for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
        auto known = std::find_if(state.begin(), state.end(),
                                  [&](const Expected& e) { return e.key == mop->key; });
        if (mop->kind == MopKind::Append) {
            if (known == state.end()) {
                state.push_back({mop->key, false, {mop->value}});
            } else {
                known->elements.push_back(mop->value);
            }
            continue;
        }
        const uint32_t* list = history.list(*mop);
        for (auto later = mop + 1; later != history.end(txn); ++later) {
            if (later->kind != MopKind::Append || later->key != mop->key) continue;
            if (std::find(list, list + mop->list_size, later->value) == list + mop->list_size) {
                continue;
            }
            anomalies.push_back({AnomalyClass::FutureRead,
                                 {t},
                                 "T1 read " + list_text(history, *mop) + " from " +
                                     key_text(history, mop->key) + ", which holds " +
                                     element_text(history, later->value) +
                                     ", an element T1 appends only later"});
            break;
        }
        if (known != state.end()) {
            const auto& expected = known->elements;
            bool fits = known->whole ? std::equal(list, list + mop->list_size, expected.begin(),
                                                  expected.end())
                                     : mop->list_size >= expected.size() &&
                                           std::equal(expected.begin(), expected.end(),
                                                      list + mop->list_size - expected.size());
            if (!fits) {
                std::string text = known->whole ? "[" : "[... ";
                for (size_t i = 0; i < expected.size(); ++i) {
                    text += (i ? " " : "") + element_text(history, expected[i]);
                }
                anomalies.push_back({AnomalyClass::Internal,
                                     {t},
                                     "T1 read " + list_text(history, *mop) + " from " +
                                         key_text(history, mop->key) +
                                         ", but its own earlier micro-ops make it " + text + "]"});
            }
            known->whole = true;
            known->elements.assign(list, list + mop->list_size);
        } else {
            state.push_back({mop->key, true, {list, list + mop->list_size}});
        }
    }
}

// Committed transactions that read the same state of a key and then appended
// to it: one of them must have missed the other's append.
void check_lost_updates(const ListIndex& index, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> cases;  // key, last read, txn
    std::vector<std::pair<uint32_t, uint32_t>> first_read;
    std::vector<uint32_t> written;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (history.txns[t].type != EventType::Ok) continue;
        first_read.clear();
        written.clear();
        for (auto mop = history.begin(history.txns[t]); mop != history.end(history.txns[t]);
             ++mop) {
            auto read = std::find_if(first_read.begin(), first_read.end(),
                                     [&](const auto& r) { return r.first == mop->key; });
            if (mop->kind == MopKind::Read) {
                if (read == first_read.end())
                    first_read.emplace_back(mop->key, index.last_of(*mop));
            } else if (read != first_read.end() &&
                       std::find(written.begin(), written.end(), mop->key) == written.end()) {
                written.push_back(mop->key);
                cases.emplace_back(mop->key, read->second, t);
            }
        }
    }
    std::sort(cases.begin(), cases.end());
    for (size_t i = 0; i < cases.size();) {
        size_t j = i;
        while (j < cases.size() && std::get<0>(cases[j]) == std::get<0>(cases[i]) &&
               std::get<1>(cases[j]) == std::get<1>(cases[i])) {
            ++j;
        }
        if (j - i >= 2) {
            DirectAnomaly anomaly{AnomalyClass::LostUpdate, {}, ""};
            for (size_t k = i; k < j; ++k) anomaly.txns.push_back(std::get<2>(cases[k]));
            auto key = std::get<0>(cases[i]);
            auto last = std::get<1>(cases[i]);
            anomaly.explanation =
                std::to_string(j - i) + " committed transactions (T1 .. T" + std::to_string(j - i) +
                ") read " + key_text(history, key) +
                (last == index.init ? " empty" : " ending with " + element_text(history, last)) +
                " and then appended to it: each missed the others' appends";
            anomalies.push_back(std::move(anomaly));
        }
        i = j;
    }
}

}  // namespace

void check_list_reads(const ListIndex& index, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    std::vector<uint8_t> reported(history.keys.size(), 0);
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (history.txns[t].type != EventType::Ok) continue;
        for (auto mop = history.begin(history.txns[t]); mop != history.end(history.txns[t]);
             ++mop) {
            if (mop->kind != MopKind::Read) continue;
            auto at = static_cast<size_t>(mop - history.mops.data());
            if (!index.duplicated[at]) check_prefixes(index, t, *mop, reported, anomalies);
            check_elements(index, t, *mop, anomalies);
        }
        check_internal(index, t, anomalies);
    }
    check_lost_updates(index, anomalies);
}

}  // namespace atomixtest::txn
