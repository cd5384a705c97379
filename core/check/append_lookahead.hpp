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
#include "check/timeline.hpp"

namespace atomixtest {

// Reads in a fixed order, and which are linearized: the first few not yet
// linearized are found without scanning those that are.
class ReadQueue {
  public:
    void build(std::vector<uint32_t> order, size_t operations);
    void linearized(uint32_t op, bool on) {
        if (op >= rank_.size() || rank_[op] == UINT32_MAX) return;
        auto r = rank_[op];
        if (on) {
            done_[r / 64] |= 1ULL << (r % 64);
            while (low_ < done_.size() && done_[low_] == ~0ULL) ++low_;
        } else {
            done_[r / 64] &= ~(1ULL << (r % 64));
            low_ = std::min<size_t>(low_, r / 64);
        }
    }
    // Calls visit(read) for the first `count` reads not linearized, in order,
    // until it returns true; returns whether it did.
    template <class Visit>
    bool any_of_first(int count, const Visit& visit) const {
        for (size_t w = low_; w < done_.size() && count > 0; ++w) {
            for (uint64_t open = ~done_[w]; open && count > 0; open &= open - 1, --count) {
                if (visit(order_[w * 64 + static_cast<size_t>(__builtin_ctzll(open))])) return true;
            }
        }
        return false;
    }
    size_t bytes() const { return (order_.size() + rank_.size()) * 4 + done_.size() * 8; }

  private:
    std::vector<uint32_t> order_;
    std::vector<uint32_t> rank_;  // operation -> its place in order_, or UINT32_MAX
    std::vector<uint64_t> done_;  // by place: linearized (and the places past the end)
    size_t low_ = 0;              // words of done_ below are all ones
};

class AppendLookahead {
  public:
    AppendLookahead(const PartitionInput& input, const StateSpace& space, MemoryBudget* budget,
                    bool wanted = true);
    bool enabled() const { return enabled_; }

    // The search linearized (or took back) operation `op`.
    void linearized(uint32_t op, bool on) {
        if (!enabled_) return;
        by_length_.linearized(op, on);
        by_return_.linearized(op, on);
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
        if (by_return_.any_of_first(kAsked, stranded)) return found;
        by_length_.any_of_first(kAsked, stranded);
        return found;
    }

  private:
    static constexpr int kAsked = 3;  // reads asked in each order

    bool reachable(int64_t state, uint32_t read) const;
    // Whether a put (or cas) not yet linearized can come before `read` and
    // set a value from which it can be reached.
    template <class Done>
    bool reset_possible(uint32_t read, const Done& done) const {
        for (auto reset : resets_) {
            // At the same position a call comes before a completion (as in the timeline).
            if (input_.call[reset] > input_.ret[read]) break;
            if (!done(reset) && reachable(reset_value(reset), read)) return true;
        }
        return false;
    }
    int64_t reset_value(uint32_t reset) const {
        const auto& op = input_.ops[reset];
        return op.kind == OpKind::Cas ? op.b : op.a;
    }

    const PartitionInput& input_;
    const StateSpace& space_;
    bool enabled_ = false;
    std::vector<uint32_t> resets_;  // writes and cas, by call
    std::vector<bool> is_read_;     // known reads
    ReadQueue by_length_, by_return_;
    std::unordered_map<int64_t, TextStates::Prefixes> prefixes_;  // of each string read
    MemoryCharge charge_;
};

}  // namespace atomixtest
