// Hand-made search inputs for the checker's tests: operations of a register
// with compare-and-set, placed at chosen call and return positions.
#pragma once

#include <random>
#include <vector>

#include "check/linearizability_search.hpp"

namespace atomixtest::drafts {

struct Draft {
    PartitionInput input;
    // An info operation never completes: its return_at is ignored.
    Draft& add(SearchOp op, bool info, uint64_t call_at, uint64_t return_at) {
        op.info = info;
        input.ops.push_back(op);
        input.call.push_back(call_at);
        input.ret.push_back(info ? kNever : return_at);
        return *this;
    }
};

inline SearchOp read(int64_t value) {
    return {OpKind::Read, false, value, 0};
}
inline SearchOp write(int64_t value) {
    return {OpKind::Write, false, value, 0};
}
inline SearchOp cas(int64_t old, int64_t value) {
    return {OpKind::Cas, false, old, value};
}

inline Verdict search(const PartitionInput& input) {
    ValuePool pool;
    StateSpace space(Model::CasRegister, pool);
    return search_linearization(input, space, SearchLimits{}).verdict;
}

// A small random history over three values, so that writes are often read and
// often not, with many overlapping and info operations. Reads are never info:
// the checker leaves an info read out before the search.
inline Draft random_history(std::mt19937& random) {
    auto below = [&random](int bound) {
        return std::uniform_int_distribution<int>(0, bound - 1)(random);
    };
    Draft h;
    int n = 2 + below(8);
    for (int i = 0; i < n; ++i) {
        uint64_t call = static_cast<uint64_t>(below(12));
        uint64_t ret = call + 1 + static_cast<uint64_t>(below(4));
        int kind = below(3);
        SearchOp op = kind == 0   ? read(below(3))
                      : kind == 1 ? write(below(3))
                                  : cas(below(3), below(3));
        h.add(op, kind != 0 && below(2) == 0, call, ret);
    }
    return h;
}

// The same 4,000 of them for every property test, from a fixed seed.
inline std::vector<Draft> random_histories() {
    std::mt19937 random(20261126);
    std::vector<Draft> histories;
    for (int round = 0; round < 4000; ++round) histories.push_back(random_history(random));
    return histories;
}

}  // namespace atomixtest::drafts
