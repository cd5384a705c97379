#include "txn/list_append_index.hpp"

#include <algorithm>

namespace atomixtest::txn {

ListIndex::ListIndex(const TxnHistory& history)
    : history(history),
      init(static_cast<uint32_t>(history.values.size())),
      writers(history.values.size() + 1),
      positions(history.values.size() + 1),
      order_at(history.keys.size(), 0),
      order_size(history.keys.size(), 0),
      order_reader(history.keys.size(), kNone),
      reader_groups(history.values.size() + 1),
      duplicated(history.mops.size(), 0) {}

uint32_t ListIndex::previous(uint32_t key, uint32_t element) const {
    auto at = positions.find(key, element);
    auto size = order_size[key];
    if (at == kNone) return size == 0 ? init : order[order_at[key] + size - 1];
    return at == 0 ? init : order[order_at[key] + at - 1];
}

std::pair<const uint32_t*, const uint32_t*> ListIndex::readers_of(uint32_t key,
                                                                  uint32_t last) const {
    auto group = reader_groups.find(key, last);
    if (group == kNone) return {nullptr, nullptr};
    return {readers.data() + group_at[group], readers.data() + group_at[group + 1]};
}

std::string list_text(const TxnHistory& history, const Mop& read) {
    std::string text = "[";
    for (uint32_t i = 0; i < read.list_size; ++i) {
        if (i) text += ' ';
        text += value_text(history.values.value(history.list(read)[i]));
    }
    return text + "]";
}

namespace {

void index_writers(ListIndex& index, std::vector<DirectAnomaly>& anomalies, bool& unsound) {
    const auto& history = index.history;
    std::vector<std::pair<uint32_t, uint32_t>> last_append;  // per txn: key -> element
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        last_append.clear();
        for (auto mop = history.begin(history.txns[t]); mop != history.end(history.txns[t]);
             ++mop) {
            if (mop->kind != MopKind::Append) continue;
            if (!index.writers.insert(mop->key, mop->value, t)) {
                unsound = true;
                anomalies.push_back({AnomalyClass::DuplicateWrites,
                                     {index.writer(mop->key, mop->value), t},
                                     "T1 and T2 both appended " +
                                         value_text(history.values.value(mop->value)) + " to " +
                                         value_text(history.keys.value(mop->key))});
                continue;
            }
            auto earlier = std::find_if(last_append.begin(), last_append.end(),
                                        [&](const auto& entry) { return entry.first == mop->key; });
            if (earlier == last_append.end()) {
                last_append.emplace_back(mop->key, mop->value);
                continue;
            }
            index.writers.assign(mop->key, earlier->second, t | kIntermediate);
            earlier->second = mop->value;
        }
    }
}

bool holds_duplicates(const TxnHistory& history, const Mop& read, std::vector<uint32_t>& scratch) {
    scratch.assign(history.list(read), history.list(read) + read.list_size);
    std::sort(scratch.begin(), scratch.end());
    return std::adjacent_find(scratch.begin(), scratch.end()) != scratch.end();
}

// Each key's longest read (without duplicates) is its version order; a key
// never read with exactly one append has that append alone.
void choose_orders(ListIndex& index, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    std::vector<uint32_t> longest(history.keys.size(), kNone), scratch;
    std::vector<uint32_t> appends(history.keys.size(), 0), only_append(history.keys.size());
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        const auto& txn = history.txns[t];
        for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
            if (mop->kind == MopKind::Append && history.possible(t)) {
                ++appends[mop->key];
                only_append[mop->key] = mop->value;
            }
            if (mop->kind != MopKind::Read || txn.type != EventType::Ok) continue;
            auto at = static_cast<size_t>(mop - history.mops.data());
            if (holds_duplicates(history, *mop, scratch)) {
                index.duplicated[at] = 1;
                anomalies.push_back({AnomalyClass::DuplicateElements,
                                     {t},
                                     "T1 read " + list_text(history, *mop) + " from " +
                                         value_text(history.keys.value(mop->key)) +
                                         ", which holds an element more than once"});
                continue;
            }
            auto& best = longest[mop->key];
            if (best == kNone || mop->list_size > history.mops[best].list_size) {
                best = static_cast<uint32_t>(at);
                index.order_reader[mop->key] = t;
            }
        }
    }
    for (uint32_t key = 0; key < history.keys.size(); ++key) {
        index.order_at[key] = static_cast<uint32_t>(index.order.size());
        if (longest[key] != kNone && history.mops[longest[key]].list_size > 0) {
            const auto& read = history.mops[longest[key]];
            index.order.insert(index.order.end(), history.list(read),
                               history.list(read) + read.list_size);
        } else if (appends[key] == 1) {
            index.order.push_back(only_append[key]);
            index.order_reader[key] = kNone;
        }
        index.order_size[key] = static_cast<uint32_t>(index.order.size()) - index.order_at[key];
        for (uint32_t i = 0; i < index.order_size[key]; ++i) {
            index.positions.insert(key, index.order[index.order_at[key] + i], i);
        }
    }
}

// Readers grouped by (key, last element): the rw edges' sources.
void group_readers(ListIndex& index) {
    const auto& history = index.history;
    std::vector<uint32_t> group_of_read, counts;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (history.txns[t].type != EventType::Ok) continue;
        for (auto mop = history.begin(history.txns[t]); mop != history.end(history.txns[t]);
             ++mop) {
            if (mop->kind != MopKind::Read) continue;
            auto fresh = static_cast<uint32_t>(counts.size());
            index.reader_groups.insert(mop->key, index.last_of(*mop), fresh);
            auto group = index.reader_groups.find(mop->key, index.last_of(*mop));
            if (group == fresh) counts.push_back(0);
            ++counts[group];
            group_of_read.push_back(group);
        }
    }
    index.group_at.assign(counts.size() + 1, 0);
    for (size_t g = 0; g < counts.size(); ++g)
        index.group_at[g + 1] = index.group_at[g] + counts[g];
    index.readers.resize(index.group_at.back());
    std::vector<uint32_t> filled(index.group_at.begin(), index.group_at.end() - 1);
    size_t read = 0;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (history.txns[t].type != EventType::Ok) continue;
        for (auto mop = history.begin(history.txns[t]); mop != history.end(history.txns[t]);
             ++mop) {
            if (mop->kind == MopKind::Read) index.readers[filled[group_of_read[read++]]++] = t;
        }
    }
}

}  // namespace

void build_list_index(ListIndex& index, std::vector<DirectAnomaly>& anomalies, bool& unsound) {
    index_writers(index, anomalies, unsound);
    choose_orders(index, anomalies);
    group_readers(index);
}

}  // namespace atomixtest::txn
