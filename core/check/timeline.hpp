// The history of one partition as Lowe's doubly linked list of invocations and
// completions in time order; an info operation's completion is at +infinity,
// after all the others. Linearizing an operation lifts its two entries out of
// the list; backtracking puts them back, in O(1) each.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "check/linearizability_search.hpp"

namespace atomixtest {

constexpr uint32_t kNil = UINT32_MAX;

struct Timeline {
    std::vector<uint32_t> next, prev, match, op_of;
    uint32_t head = 0;
    std::vector<uint32_t> index_of;  // operation -> its index among its kind (known or info)
    std::vector<bool> is_info;
    size_t known = 0;
    // The previous info operation with the same effect: interchangeable with
    // it once both are invoked, so it is tried only once the earlier one is in.
    std::vector<uint32_t> same_before;  // by info index

    explicit Timeline(const PartitionInput& input) {
        struct Entry {
            uint64_t time;
            uint32_t op;
            bool is_return;
        };
        std::vector<Entry> entries;
        auto n = static_cast<uint32_t>(input.ops.size());
        index_of.resize(n);
        is_info.resize(n);
        uint32_t infos = 0;
        for (uint32_t i = 0; i < n; ++i) {
            is_info[i] = input.ret[i] == kNever;
            index_of[i] = is_info[i] ? infos++ : static_cast<uint32_t>(known++);
            entries.push_back({input.call[i], i, false});
            entries.push_back({input.ret[i], i, true});
        }
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            if (a.time != b.time) return a.time < b.time;
            if (a.is_return != b.is_return) return !a.is_return;
            return a.op < b.op;
        });
        // Twins in the order they were called: the earlier one is always
        // there to be tried whenever the later one could be.
        same_before.assign(infos, kNil);
        std::map<std::tuple<int, int64_t, int64_t>, uint32_t> last;
        for (const auto& entry : entries) {
            if (entry.is_return || !is_info[entry.op]) continue;
            const auto& op = input.ops[entry.op];
            auto [found, fresh] =
                last.try_emplace({static_cast<int>(op.kind), op.a, op.b}, index_of[entry.op]);
            if (!fresh) same_before[index_of[entry.op]] = found->second;
            found->second = index_of[entry.op];
        }
        auto size = static_cast<uint32_t>(entries.size());
        head = size;
        next.resize(size + 1);
        prev.resize(size + 1);
        match.assign(size, kNil);
        op_of.resize(size);
        std::vector<uint32_t> return_of(n);
        for (uint32_t e = 0; e < size; ++e) {
            op_of[e] = entries[e].op;
            if (entries[e].is_return) return_of[entries[e].op] = e;
        }
        for (uint32_t e = 0; e < size; ++e) {
            if (!entries[e].is_return) match[e] = return_of[entries[e].op];
            next[e] = e + 1 < size ? e + 1 : kNil;
            prev[e] = e == 0 ? head : e - 1;
        }
        next[head] = size ? 0 : kNil;
    }

    size_t bytes() const {
        return (next.capacity() + prev.capacity() + match.capacity() + op_of.capacity() +
                index_of.capacity() + same_before.capacity()) *
                   sizeof(uint32_t) +
               is_info.capacity() / 8;
    }

    void lift(uint32_t e) {
        next[prev[e]] = next[e];
        prev[next[e]] = prev[e];  // a call is always followed by its return
        uint32_t m = match[e];
        next[prev[m]] = next[m];
        if (next[m] != kNil) prev[next[m]] = prev[m];
    }
    void unlift(uint32_t e) {
        uint32_t m = match[e];
        next[prev[m]] = m;
        if (next[m] != kNil) prev[next[m]] = m;
        next[prev[e]] = e;
        prev[next[e]] = e;
    }
};

}  // namespace atomixtest
