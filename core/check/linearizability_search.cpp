#include "check/linearizability_search.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "check/visited_cache.hpp"

namespace atomixtest {

namespace {

constexpr uint32_t kNil = UINT32_MAX;

// Invocations and completions as a doubly linked list in time order (Lowe's);
// an info operation's completion is at +infinity, after all the others.
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

}  // namespace

SearchOutcome search_linearization(const PartitionInput& input, StateSpace& space,
                                   const SearchLimits& limits) {
    SearchOutcome outcome;
    Timeline line(input);
    LinearizedSet linearized(line.known);
    LinearizedSet info_set(line.same_before.size());
    std::vector<uint32_t> info_done;  // the info operations linearized, as a stack
    size_t known_done = 0;
    VisitedCache cache;
    struct Frame {
        uint32_t entry;
        int64_t state;
    };
    std::vector<Frame> frames;
    size_t low_water = 0;  // frames below this are unchanged since `deepest` was saved
    int64_t state = input.initial;
    uint32_t entry = line.next[line.head];
    uint32_t budget = 0;
    // Once every operation with a known outcome is linearized, the info
    // operations left go after them, where they can always step (or never happen).
    while (known_done < line.known) {
        if (++budget == 4096) {
            budget = 0;
            bool out_of_memory = cache.bytes() > limits.memory_bytes;
            if (out_of_memory || limits.passed()) {
                outcome.verdict = Verdict::Unknown;
                outcome.out_of_memory = out_of_memory;
                return outcome;
            }
        }
        if (line.match[entry] != kNil) {
            uint32_t op = line.op_of[entry];
            uint32_t index = line.index_of[op];
            bool info = line.is_info[op];
            int64_t after = 0;
            if (info && line.same_before[index] != kNil &&
                !info_set.test(line.same_before[index])) {
                entry = line.next[entry];  // its twin goes first
                continue;
            }
            if (step(state, input.ops[op], space, after)) {
                if (info) {
                    info_set.set(index);
                    info_done.push_back(index);
                } else {
                    linearized.set(index);
                }
                if (cache.insert(linearized, after, info_set, info_done)) {
                    frames.push_back({entry, state});
                    known_done += !info;
                    state = after;
                    line.lift(entry);
                    entry = line.next[line.head];
                    continue;
                }
                if (info) {
                    info_set.clear(index);
                    info_done.pop_back();
                } else {
                    linearized.clear(index);
                }
            }
            entry = line.next[entry];
            continue;
        }
        // A completion whose operation is not linearized: undo the last choice.
        if (frames.size() > outcome.deepest.size() || outcome.stuck == kNil) {
            outcome.deepest.resize(std::min(low_water, outcome.deepest.size()));
            for (size_t i = outcome.deepest.size(); i < frames.size(); ++i) {
                outcome.deepest.push_back(line.op_of[frames[i].entry]);
            }
            outcome.stuck = line.op_of[entry];
            low_water = frames.size();
        }
        if (frames.empty()) {
            outcome.verdict = Verdict::NotLinearizable;
            return outcome;
        }
        auto top = frames.back();
        frames.pop_back();
        low_water = std::min(low_water, frames.size());
        state = top.state;
        uint32_t op = line.op_of[top.entry];
        if (line.is_info[op]) {
            info_set.clear(line.index_of[op]);
            info_done.pop_back();
        } else {
            linearized.clear(line.index_of[op]);
            --known_done;
        }
        line.unlift(top.entry);
        entry = line.next[top.entry];
    }
    outcome.deepest.clear();
    for (const auto& frame : frames) outcome.deepest.push_back(line.op_of[frame.entry]);
    outcome.stuck = kNil;
    return outcome;
}

PartitionInput restrict_partition(const PartitionInput& input, const std::vector<uint32_t>& keep,
                                  int64_t initial) {
    PartitionInput part;
    part.initial = initial;
    for (auto i : keep) {
        part.ops.push_back(input.ops[i]);
        part.call.push_back(input.call[i]);
        part.ret.push_back(input.ret[i]);
    }
    return part;
}

}  // namespace atomixtest
