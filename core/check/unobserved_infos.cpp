#include "check/unobserved_infos.hpp"

#include <algorithm>
#include <unordered_map>

namespace atomixtest {

namespace {

// The value an operation makes the state, if it is a plain write of one.
bool writes_a_value(const SearchOp& op, int64_t& value) {
    if (op.kind == OpKind::Write) value = op.a;
    if (op.kind == OpKind::Cas) value = op.b;
    return op.kind == OpKind::Write || op.kind == OpKind::Cas;
}

// The value an operation needs the state to hold, if it needs one.
bool depends_on_a_value(const SearchOp& op, int64_t& value) {
    value = op.a;
    return op.kind == OpKind::Read || op.kind == OpKind::Cas;
}

// Marks in `dropped` the info writes (and cas) whose value nothing depends on.
void drop_unseen_info_writes(const PartitionInput& input, std::vector<bool>& dropped) {
    std::unordered_map<int64_t, uint32_t> seen;  // value -> operations that depend on it
    for (const auto& op : input.ops) {
        if (int64_t value; depends_on_a_value(op, value)) ++seen[value];
    }
    // Dropping an info compare-and-set takes away what it compared against,
    // which may leave another write unseen: repeat until nothing changes.
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < dropped.size(); ++i) {
            const auto& op = input.ops[i];
            int64_t value = 0;
            if (dropped[i] || !op.info || !writes_a_value(op, value)) continue;
            if (auto it = seen.find(value); it != seen.end() && it->second > 0) continue;
            dropped[i] = true;
            changed = true;
            if (int64_t needed; depends_on_a_value(op, needed)) --seen[needed];
        }
    }
}

}  // namespace

std::vector<uint32_t> operations_that_matter(const PartitionInput& input) {
    auto n = static_cast<uint32_t>(input.ops.size());
    bool only_registers = std::all_of(input.ops.begin(), input.ops.end(), [](const SearchOp& op) {
        return op.kind == OpKind::Read || op.kind == OpKind::Write || op.kind == OpKind::Cas;
    });
    std::vector<bool> dropped(n, false);
    if (only_registers) drop_unseen_info_writes(input, dropped);
    std::vector<uint32_t> kept;
    for (uint32_t i = 0; i < n; ++i) {
        if (!dropped[i]) kept.push_back(i);
    }
    return kept;
}

}  // namespace atomixtest
