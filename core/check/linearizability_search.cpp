#include "check/linearizability_search.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "check/visited_cache.hpp"

namespace atomixtest {

namespace {

constexpr uint32_t kNil = UINT32_MAX;

// Invocations and completions of the operations with a known outcome, as a
// doubly linked list in time order (Lowe's), and the info operations apart,
// in order of invocation: they never complete, so they stay candidates once
// invoked, and the search tries them only after the others.
struct Timeline {
    std::vector<uint32_t> next, prev, match, op_of;
    std::vector<uint64_t> time;
    uint32_t head = 0;
    std::vector<uint32_t> info_ops;  // operation of each info index, by invocation
    std::vector<uint32_t> info_next, info_prev;
    uint32_t info_head = 0;
    // The previous info operation with the same effect: interchangeable with
    // it once both are invoked, so only the earlier of the two is tried first.
    std::vector<uint32_t> same_before;
    std::vector<uint32_t> index_of;  // operation -> its index among its kind

    explicit Timeline(const PartitionInput& input) {
        struct Entry {
            uint64_t time;
            uint32_t op;
            bool is_return;
        };
        std::vector<Entry> entries;
        auto n = static_cast<uint32_t>(input.ops.size());
        index_of.resize(n);
        uint32_t known = 0;
        for (uint32_t i = 0; i < n; ++i) {
            if (input.ret[i] == kNever) {
                index_of[i] = static_cast<uint32_t>(info_ops.size());
                info_ops.push_back(i);  // ops come in order of invocation
                continue;
            }
            index_of[i] = known++;
            entries.push_back({input.call[i], i, false});
            entries.push_back({input.ret[i], i, true});
        }
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            if (a.time != b.time) return a.time < b.time;
            if (a.is_return != b.is_return) return !a.is_return;
            return a.op < b.op;
        });
        auto size = static_cast<uint32_t>(entries.size());
        head = size;
        next.resize(size + 1);
        prev.resize(size + 1);
        match.assign(size, kNil);
        op_of.resize(size);
        time.resize(size);
        std::vector<uint32_t> return_of(n);
        for (uint32_t e = 0; e < size; ++e) {
            op_of[e] = entries[e].op;
            time[e] = entries[e].time;
            if (entries[e].is_return) return_of[entries[e].op] = e;
        }
        for (uint32_t e = 0; e < size; ++e) {
            if (!entries[e].is_return) match[e] = return_of[entries[e].op];
            next[e] = e + 1 < size ? e + 1 : kNil;
            prev[e] = e == 0 ? head : e - 1;
        }
        next[head] = size ? 0 : kNil;
        auto k = static_cast<uint32_t>(info_ops.size());
        info_head = k;
        info_next.resize(k + 1);
        info_prev.resize(k + 1);
        for (uint32_t j = 0; j < k; ++j) {
            info_next[j] = j + 1 < k ? j + 1 : kNil;
            info_prev[j] = j == 0 ? info_head : j - 1;
        }
        info_next[info_head] = k ? 0 : kNil;
        same_before.assign(k, kNil);
        std::map<std::tuple<int, bool, int64_t, int64_t>, uint32_t> last;
        for (uint32_t j = 0; j < k; ++j) {
            const auto& op = input.ops[info_ops[j]];
            auto [found, fresh] =
                last.try_emplace({static_cast<int>(op.kind), op.info, op.a, op.b}, j);
            if (!fresh) {
                same_before[j] = found->second;
                found->second = j;
            }
        }
    }
    size_t known_count() const { return op_of.size() / 2; }

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
    void lift_info(uint32_t j) {
        info_next[info_prev[j]] = info_next[j];
        if (info_next[j] != kNil) info_prev[info_next[j]] = info_prev[j];
    }
    void unlift_info(uint32_t j) {
        info_next[info_prev[j]] = j;
        if (info_next[j] != kNil) info_prev[info_next[j]] = j;
    }
};

}  // namespace

SearchOutcome search_linearization(const PartitionInput& input, StateSpace& space,
                                   const Deadline& deadline) {
    SearchOutcome outcome;
    Timeline line(input);
    LinearizedSet linearized(line.known_count());
    LinearizedSet info_set(line.info_ops.size());
    std::vector<uint32_t> info_done;  // the info operations linearized, as a stack
    VisitedCache cache;
    struct Frame {
        uint32_t ref;    // an entry of the timeline, or an info index
        uint32_t bound;  // info: the first completion when it was chosen; else kNil
        int64_t state;
    };
    std::vector<Frame> frames;
    size_t low_water = 0;  // frames below this are unchanged since `deepest` was saved
    auto op_of_frame = [&](const Frame& frame) {
        return frame.bound == kNil ? line.op_of[frame.ref] : line.info_ops[frame.ref];
    };
    int64_t state = input.initial;
    uint32_t entry = line.next[line.head];
    uint32_t bound = kNil;  // in the info phase: the completion that stopped the main one
    uint32_t info = kNil;   // in the info phase: the next info candidate
    uint32_t budget = 0;
    // Every operation with a known outcome linearized: the info operations left
    // go after them, where they can always step.
    while (line.next[line.head] != kNil) {
        if (++budget == 4096) {
            budget = 0;
            if (deadline.passed()) {
                outcome.verdict = Verdict::Unknown;
                return outcome;
            }
        }
        int64_t after = 0;
        if (bound == kNil) {
            if (line.match[entry] != kNil) {
                uint32_t op = line.op_of[entry];
                if (step(state, input.ops[op], space, after)) {
                    linearized.set(line.index_of[op]);
                    if (cache.insert(linearized, after, info_set, info_done)) {
                        frames.push_back({entry, kNil, state});
                        state = after;
                        line.lift(entry);
                        entry = line.next[line.head];
                        continue;
                    }
                    linearized.clear(line.index_of[op]);
                }
                entry = line.next[entry];
                continue;
            }
            // A completion whose operation is not linearized: info candidates next.
            if (frames.size() > outcome.deepest.size() || outcome.stuck == kNil) {
                outcome.deepest.resize(std::min(low_water, outcome.deepest.size()));
                for (size_t i = outcome.deepest.size(); i < frames.size(); ++i) {
                    outcome.deepest.push_back(op_of_frame(frames[i]));
                }
                outcome.stuck = line.op_of[entry];
                low_water = frames.size();
            }
            bound = entry;
            info = line.info_next[line.info_head];
        }
        if (info != kNil && input.call[line.info_ops[info]] < line.time[bound]) {
            uint32_t op = line.info_ops[info];
            uint32_t twin = line.same_before[info];
            if ((twin == kNil || info_set.test(twin)) && step(state, input.ops[op], space, after)) {
                info_set.set(info);
                info_done.push_back(info);
                if (cache.insert(linearized, after, info_set, info_done)) {
                    frames.push_back({info, bound, state});
                    state = after;
                    line.lift_info(info);
                    bound = kNil;
                    entry = line.next[line.head];
                    continue;
                }
                info_set.clear(info);
                info_done.pop_back();
            }
            info = line.info_next[info];
            continue;
        }
        // Nothing left to try here: undo the last choice.
        if (frames.empty()) {
            outcome.verdict = Verdict::NotLinearizable;
            return outcome;
        }
        auto top = frames.back();
        frames.pop_back();
        low_water = std::min(low_water, frames.size());
        state = top.state;
        if (top.bound == kNil) {
            linearized.clear(line.index_of[line.op_of[top.ref]]);
            line.unlift(top.ref);
            entry = line.next[top.ref];
            bound = kNil;
        } else {
            info_set.clear(top.ref);
            info_done.pop_back();
            line.unlift_info(top.ref);
            info = line.info_next[top.ref];
            bound = top.bound;
        }
    }
    outcome.deepest.clear();
    for (const auto& frame : frames) outcome.deepest.push_back(op_of_frame(frame));
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
