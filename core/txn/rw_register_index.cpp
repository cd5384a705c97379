#include "txn/rw_register_index.hpp"

#include <algorithm>
#include <map>

#include "txn/list_append_index.hpp"
#include "txn/strongly_connected.hpp"

namespace atomixtest::txn {

RegisterIndex::RegisterIndex(const TxnHistory& history)
    : history(history),
      nil(static_cast<uint32_t>(history.values.size())),
      all_writers(history.values.size() + 1),
      final_writers(history.values.size() + 1),
      reader_groups(history.values.size() + 1) {}

std::pair<const uint32_t*, const uint32_t*> RegisterIndex::readers_of(uint32_t key,
                                                                      uint32_t value) const {
    auto group = reader_groups.find(key, value);
    if (group == kNone) return {nullptr, nullptr};
    return {readers.data() + group_at[group], readers.data() + group_at[group + 1]};
}

bool RegisterIndex::precedes(uint32_t key, uint32_t v1, uint32_t v2) const {
    return std::binary_search(versions.begin(), versions.end(), VersionEdge{key, v1, v2});
}

void build_register_index(RegisterIndex& index, std::vector<DirectAnomaly>& anomalies,
                          bool& unsound) {
    const auto& history = index.history;
    std::vector<std::pair<uint32_t, uint32_t>> last_write;  // per txn: key -> value
    std::vector<uint32_t> seen;                             // per txn: keys accessed
    std::vector<uint32_t> group_of_read, counts;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        const auto& txn = history.txns[t];
        last_write.clear();
        seen.clear();
        for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
            bool first = std::find(seen.begin(), seen.end(), mop->key) == seen.end();
            if (first) seen.push_back(mop->key);
            if (mop->kind == MopKind::Read) {
                if (!first || txn.type != EventType::Ok) continue;
                auto value = mop->value == kNone ? index.nil : mop->value;
                index.external_reads.push_back({t, mop->key, value});
                auto fresh = static_cast<uint32_t>(counts.size());
                index.reader_groups.insert(mop->key, value, fresh);
                auto group = index.reader_groups.find(mop->key, value);
                if (group == fresh) counts.push_back(0);
                ++counts[group];
                group_of_read.push_back(group);
                continue;
            }
            if (!index.all_writers.insert(mop->key, mop->value, t)) {
                unsound = true;
                anomalies.push_back(
                    {AnomalyClass::DuplicateWrites,
                     {index.all_writers.find(mop->key, mop->value) & ~kIntermediate, t},
                     "T1 and T2 both wrote " + value_text(history.values.value(mop->value)) +
                         " to " + value_text(history.keys.value(mop->key))});
                continue;
            }
            auto earlier = std::find_if(last_write.begin(), last_write.end(),
                                        [&](const auto& w) { return w.first == mop->key; });
            if (earlier == last_write.end()) {
                last_write.emplace_back(mop->key, mop->value);
            } else {
                index.all_writers.assign(mop->key, earlier->second, t | kIntermediate);
                earlier->second = mop->value;
            }
        }
        if (!history.possible(t)) continue;
        for (const auto& [key, value] : last_write) index.final_writers.insert(key, value, t);
    }
    index.group_at.assign(counts.size() + 1, 0);
    for (size_t g = 0; g < counts.size(); ++g)
        index.group_at[g + 1] = index.group_at[g] + counts[g];
    index.readers.resize(index.group_at.back());
    std::vector<uint32_t> filled(index.group_at.begin(), index.group_at.end() - 1);
    for (size_t r = 0; r < index.external_reads.size(); ++r) {
        index.readers[filled[group_of_read[r]]++] = index.external_reads[r].txn;
    }
}

void infer_versions(RegisterIndex& index, std::vector<DirectAnomaly>& anomalies) {
    const auto& history = index.history;
    std::vector<VersionEdge> initial, follows;
    for (const auto& read : index.external_reads) {
        if (read.value != index.nil) initial.emplace_back(read.key, index.nil, read.value);
    }
    size_t next_read = 0;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        const auto& txn = history.txns[t];
        while (next_read < index.external_reads.size() && index.external_reads[next_read].txn < t) {
            ++next_read;
        }
        if (!history.possible(t)) continue;
        for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
            if (mop->kind != MopKind::Write || index.final_writer(mop->key, mop->value) != t) {
                continue;
            }
            initial.emplace_back(mop->key, index.nil, mop->value);
            // Writes follow reads: what this transaction read of the key came before.
            for (auto r = next_read;
                 r < index.external_reads.size() && index.external_reads[r].txn == t; ++r) {
                const auto& read = index.external_reads[r];
                if (read.key == mop->key && read.value != index.nil && read.value != mop->value) {
                    follows.emplace_back(mop->key, read.value, mop->value);
                }
            }
        }
    }
    // Cycles among a key's versions: the keys' version nodes as one graph.
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> node;
    std::vector<std::pair<uint32_t, uint32_t>> nodes;
    auto node_of = [&](uint32_t key, uint32_t value) {
        auto [found, fresh] = node.try_emplace({key, value}, static_cast<uint32_t>(nodes.size()));
        if (fresh) nodes.emplace_back(key, value);
        return found->second;
    };
    std::vector<EdgeRecord> records;
    for (const auto& [key, v1, v2] : follows) {
        records.push_back({node_of(key, v1), node_of(key, v2), kWw});
    }
    auto graph = build_graph(static_cast<uint32_t>(nodes.size()), std::move(records));
    std::vector<uint8_t> cyclic(history.keys.size(), 0);
    for (const auto& component : StronglyConnected(graph).components(kWw)) {
        auto key = nodes[component.front()].first;
        if (cyclic[key]) continue;
        cyclic[key] = 1;
        std::string values;
        for (auto v : component) values += " " + value_text(history.values.value(nodes[v].second));
        anomalies.push_back(
            {AnomalyClass::CyclicVersions,
             {},
             "the versions of " + value_text(history.keys.value(key)) +
                 " read and then written within transactions make a cycle:" + values});
    }
    index.versions = std::move(initial);
    for (const auto& edge : follows) {
        if (!cyclic[std::get<0>(edge)]) index.versions.push_back(edge);
    }
    std::sort(index.versions.begin(), index.versions.end());
    index.versions.erase(std::unique(index.versions.begin(), index.versions.end()),
                         index.versions.end());
}

}  // namespace atomixtest::txn
