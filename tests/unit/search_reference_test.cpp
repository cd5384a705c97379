// The search skips work (the cache, info twins, info operations without
// effect); each shortcut must leave every verdict as trying every order would.
// A plain enumeration of every order the real-time constraints allow is the
// reference, on thousands of small random histories whose operations are
// listed in no particular order.
#include <gtest/gtest.h>

#include "search_drafts.hpp"

namespace atomixtest {
namespace {

// Whether the operations not yet placed can follow from `state`: each known
// one placed once, each info one at most once, none before an operation that
// completed before it was called.
bool orders_exist(const PartitionInput& input, std::vector<bool>& placed, int64_t state,
                  StateSpace& space) {
    size_t n = input.ops.size();
    uint64_t first_return = kNever;
    bool known_left = false;
    for (size_t i = 0; i < n; ++i) {
        if (placed[i] || input.ret[i] == kNever) continue;
        known_left = true;
        first_return = std::min(first_return, input.ret[i]);
    }
    if (!known_left) return true;  // info operations left need not happen
    for (size_t i = 0; i < n; ++i) {
        if (placed[i] || input.call[i] > first_return) continue;
        int64_t next = 0;
        if (!step(state, input.ops[i], space, next)) continue;
        placed[i] = true;
        bool found = orders_exist(input, placed, next, space);
        placed[i] = false;
        if (found) return true;
    }
    return false;
}

Verdict enumerate(const PartitionInput& input) {
    ValuePool pool;
    StateSpace space(Model::CasRegister, pool);
    std::vector<bool> placed(input.ops.size(), false);
    return orders_exist(input, placed, input.initial, space) ? Verdict::Linearizable
                                                             : Verdict::NotLinearizable;
}

TEST(SearchReference, TheSearchAgreesWithEveryOrderTried) {
    int linearizable = 0, not_linearizable = 0, round = 0;
    for (const auto& h : drafts::random_histories()) {
        ++round;
        auto expected = enumerate(h.input);
        ASSERT_EQ(drafts::search(h.input), expected) << "round " << round;
        (expected == Verdict::Linearizable ? linearizable : not_linearizable)++;
    }
    EXPECT_GT(linearizable, 400);
    EXPECT_GT(not_linearizable, 400);
}

// Of two identical info writes the search tries the one called first: the one
// listed first was called too late to explain the read.
TEST(SearchReference, OfTwoInfoTwinsTheOneCalledFirstIsTriedFirst) {
    drafts::Draft h;
    h.add(drafts::write(2), true, 10, 0).add(drafts::write(1), false, 0, 1);
    h.add(drafts::write(2), true, 2, 0).add(drafts::read(2), false, 3, 6);
    EXPECT_EQ(drafts::search(h.input), Verdict::Linearizable);
}

}  // namespace
}  // namespace atomixtest
