// Dead ends of a key with appends, seen before the search walks into them.
// An append only lengthens the string, so once the state is no longer a
// prefix of what a read still to be linearized returned, that read can be
// satisfied only if an operation that sets the value outright (put, cas) to
// one of its prefixes can still come before it; if none can, no order of the
// operations left will do, and the search backtracks at once instead of
// trying every order of the appends invoked before that read (with ten
// concurrent appends, millions of them). Asked after each step that changes
// the state: the reads that could come next, the few that are due first, and
// the few with the shortest values (the ones a state outgrows first).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "check/linearizability_search.hpp"
#include "check/memory_budget.hpp"
#include "check/op_queue.hpp"
#include "check/timeline.hpp"

namespace atomixtest {

class AppendLookahead {
  public:
    // Disabled until built: a key that the search decides at once (most
    // keys) does not pay for the prefixes of every read.
    AppendLookahead(const PartitionInput& input, const StateSpace& space, MemoryBudget* budget)
        : input_(input), space_(space), charge_(budget, 0) {}
    // Builds it, for a key with appends, given which operations are linearized.
    template <class Done>
    void build(const Done& done) {
        if (!build_queues()) return;
        for (uint32_t op = 0; op < input_.ops.size(); ++op) {
            if (done(op)) linearized(op, true);
        }
    }
    bool enabled() const { return enabled_; }

    // The search linearized (or took back) operation `op`.
    void linearized(uint32_t op, bool on) {
        if (!enabled_) return;
        by_length_.linearized(op, on);
        by_return_.linearized(op, on);
        resets_.linearized(op, on);
    }

    // A read not yet linearized that can no longer be satisfied in `state`,
    // or kNil. `done(op)` tells whether an operation is linearized.
    template <class Done>
    uint32_t stranded_read(int64_t state, const Done& done, const Timeline& line) const {
        uint32_t found = kNil;
        auto stranded = [&](uint32_t read) {
            if (reachable(state, read) || reset_possible(read, done)) return false;
            found = read;
            return true;
        };
        for (uint32_t e = line.next[line.head]; e != kNil && line.match[e] != kNil;
             e = line.next[e]) {
            uint32_t op = line.op_of[e];
            if (is_read_[op] && stranded(op)) return found;
        }
        if (by_return_.any_open(kAsked, stranded)) return found;
        by_length_.any_open(kAsked, stranded);
        return found;
    }

  private:
    static constexpr int kAsked = 3;  // reads asked in each order

    bool reachable(int64_t state, uint32_t read) const;
    // Whether a put (or cas) not yet linearized can come before `read` and
    // set a value from which it can be reached.
    template <class Done>
    bool reset_possible(uint32_t read, const Done&) const {
        bool possible = false;
        resets_.any_open(SIZE_MAX, [&](uint32_t reset) {
            // At the same position a call comes before a completion (as in the timeline).
            if (input_.call[reset] > input_.ret[read]) return true;
            possible = reachable(reset_value(reset), read);
            return possible;
        });
        return possible;
    }
    bool build_queues();
    int64_t reset_value(uint32_t reset) const {
        const auto& op = input_.ops[reset];
        return op.kind == OpKind::Cas ? op.b : op.a;
    }

    const PartitionInput& input_;
    const StateSpace& space_;
    bool enabled_ = false;
    std::vector<bool> is_read_;  // known reads
    OpQueue by_length_, by_return_;
    OpQueue resets_;                                              // writes and cas, by call
    std::unordered_map<int64_t, TextStates::Prefixes> prefixes_;  // of each string read
    MemoryCharge charge_;
};

}  // namespace atomixtest
