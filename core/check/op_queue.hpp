// Operations in a fixed order, and which of them the search has linearized:
// the first ones not yet linearized are found without scanning those that
// are (a bitset whose leading full words are skipped), for the look-ahead.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace atomixtest {

class OpQueue {
  public:
    // `order`: operation indices; `operations`: how many the partition has.
    void build(std::vector<uint32_t> order, size_t operations) {
        order_ = std::move(order);
        rank_.assign(operations, UINT32_MAX);
        for (uint32_t r = 0; r < order_.size(); ++r) rank_[order_[r]] = r;
        done_.assign((order_.size() + 63) / 64, 0);
        if (order_.size() % 64) done_.back() = ~0ULL << (order_.size() % 64);
        low_ = 0;
        skip_full();
    }
    void linearized(uint32_t op, bool on) {
        if (op >= rank_.size() || rank_[op] == UINT32_MAX) return;
        auto r = rank_[op];
        if (on) {
            done_[r / 64] |= 1ULL << (r % 64);
            skip_full();
        } else {
            done_[r / 64] &= ~(1ULL << (r % 64));
            low_ = std::min<size_t>(low_, r / 64);
        }
    }
    // Calls visit(op) for the operations not linearized, in order, until it
    // returns true (then true) or `count` were visited (then false).
    template <class Visit>
    bool any_open(size_t count, const Visit& visit) const {
        for (size_t w = low_; w < done_.size() && count > 0; ++w) {
            for (uint64_t open = ~done_[w]; open && count > 0; open &= open - 1, --count) {
                if (visit(order_[w * 64 + static_cast<size_t>(__builtin_ctzll(open))])) return true;
            }
        }
        return false;
    }
    size_t bytes() const { return (order_.size() + rank_.size()) * 4 + done_.size() * 8; }

  private:
    void skip_full() {
        while (low_ < done_.size() && done_[low_] == ~0ULL) ++low_;
    }

    std::vector<uint32_t> order_;
    std::vector<uint32_t> rank_;  // operation -> its place in order_, or UINT32_MAX
    std::vector<uint64_t> done_;  // by place: linearized (and the places past the end)
    size_t low_ = 0;              // words of done_ below are all ones
};

}  // namespace atomixtest
