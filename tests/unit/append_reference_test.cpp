// Keys with appends are searched with a look-ahead that backtracks as soon as
// the string outgrows a read still to come, and with reads taken as soon as
// they can be. Neither may change a verdict: on thousands of small random kv
// histories (appends, puts, reads, some of unknown outcome) the search must
// agree with a plain enumeration of every order.
#include <gtest/gtest.h>

#include <random>

#include "check/linearizability_search.hpp"

namespace atomixtest {
namespace {

struct KvDraft {
    ValuePool pool;
    std::unique_ptr<StateSpace> space;
    PartitionInput input;
};

// Whether the operations not yet placed can follow from `state` (each known
// one once, each info one at most once, none before an operation that
// completed before it was called).
bool orders_exist(const PartitionInput& input, std::vector<bool>& placed, int64_t state,
                  StateSpace& space) {
    uint64_t first_return = kNever;
    bool known_left = false;
    for (size_t i = 0; i < input.ops.size(); ++i) {
        if (placed[i] || input.ret[i] == kNever) continue;
        known_left = true;
        first_return = std::min(first_return, input.ret[i]);
    }
    if (!known_left) return true;
    for (size_t i = 0; i < input.ops.size(); ++i) {
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

void random_kv(std::mt19937& random, KvDraft& h) {
    auto below = [&random](int bound) {
        return std::uniform_int_distribution<int>(0, bound - 1)(random);
    };
    h.space = std::make_unique<StateSpace>(Model::Kv, h.pool);
    // Values: nil, and strings of "a" and "b" up to three long.
    std::vector<std::string> texts{""};
    for (size_t at = 0; at < texts.size() && texts.size() < 15; ++at) {
        for (const char* piece : {"a", "b"}) texts.push_back(texts[at] + piece);
    }
    // A text state keeps a pointer to its string: the pool's, which stays put.
    auto text = [&](const std::string& value) {
        bool valid = true;
        return h.space->state_of(h.pool.value(h.pool.intern(value)), valid);
    };
    int n = 2 + below(7);
    for (int i = 0; i < n; ++i) {
        uint64_t call = static_cast<uint64_t>(below(12));
        uint64_t ret = call + 1 + static_cast<uint64_t>(below(4));
        int kind = below(4);
        SearchOp op;
        if (kind <= 1) {  // reads: nil now and then, else a string
            op = {OpKind::Read, false,
                  below(8) == 0
                      ? ValuePool::kNull
                      : text(texts[static_cast<size_t>(below(static_cast<int>(texts.size())))]),
                  0};
        } else if (kind == 2) {
            op = {OpKind::Append, false, h.pool.intern(below(2) ? "a" : "b"), 0};
        } else {
            op = {OpKind::Write, false,
                  below(4) == 0 ? ValuePool::kNull : text(texts[static_cast<size_t>(below(3))]), 0};
        }
        op.info = op.kind != OpKind::Read && below(4) == 0;
        h.input.ops.push_back(op);
        h.input.call.push_back(call);
        h.input.ret.push_back(op.info ? kNever : ret);
    }
    h.input.initial = below(2) ? ValuePool::kNull : text("");
}

std::string describe(const KvDraft& h) {
    const char* kinds[] = {"read", "write", "cas", "append", "add", "set-add", "set-read"};
    std::string out = "initial " + h.space->describe(h.input.initial).dump() + "\n";
    for (size_t i = 0; i < h.input.ops.size(); ++i) {
        const auto& op = h.input.ops[i];
        auto value = op.kind == OpKind::Append ? h.pool.value(static_cast<uint32_t>(op.a))
                                               : h.space->describe(op.a);
        out += std::string(kinds[static_cast<int>(op.kind)]) + " " + value.dump() +
               (op.info ? " info" : "") + " [" + std::to_string(h.input.call[i]) + ", " +
               (op.info ? std::string("-") : std::to_string(h.input.ret[i])) + "]\n";
    }
    return out;
}

TEST(AppendReference, TheSearchAgreesWithEveryOrderTried) {
    std::mt19937 random(20261204);
    int linearizable = 0, not_linearizable = 0;
    for (int round = 0; round < 4000; ++round) {
        KvDraft h;
        random_kv(random, h);
        std::vector<bool> placed(h.input.ops.size(), false);
        auto expected = orders_exist(h.input, placed, h.input.initial, *h.space)
                            ? Verdict::Linearizable
                            : Verdict::NotLinearizable;
        // The look-ahead from the first step: these searches end before it
        // would be built otherwise.
        SearchLimits limits;
        limits.look_ahead = SearchLimits::LookAhead::Always;
        ASSERT_EQ(search_linearization(h.input, *h.space, limits).verdict, expected)
            << "round " << round << "\n"
            << describe(h);
        (expected == Verdict::Linearizable ? linearizable : not_linearizable)++;
    }
    EXPECT_GT(linearizable, 400);
    EXPECT_GT(not_linearizable, 400);
}

}  // namespace
}  // namespace atomixtest
