#include "check/partition.hpp"

#include "atomixtest/error.hpp"
#include "check/unobserved_infos.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

Partition translate_partition(const OperationTable& table, uint32_t key,
                              const std::vector<uint32_t>& indices, const CheckOptions& options,
                              MemoryBudget& budget) {
    Partition part;
    part.key = key;
    part.space = std::make_unique<StateSpace>(options.model, table.values, &budget);
    bool valid = true;
    part.input.initial = part.space->state_of(options.initial, valid);
    if (!valid) {
        throw bad_input("the initial value " + printable(options.initial) +
                        " is not one of the model " + to_string(options.model));
    }
    for (auto index : indices) {
        const auto& op = table.operations[index];
        auto translated = translate_operation(options.model, table, op, *part.space);
        if (!translated) continue;
        part.table_index.push_back(index);
        part.input.ops.push_back(*translated);
        part.input.call.push_back(op.invoked_at);
        part.input.ret.push_back(op.completed_at);
    }
    part.translated = part.input.ops.size();
    auto kept = operations_that_matter(part.input);
    if (kept.size() < part.input.ops.size()) {
        part.input = restrict_partition(part.input, kept, part.input.initial);
        std::vector<uint32_t> table_index;
        for (auto i : kept) table_index.push_back(part.table_index[i]);
        part.table_index = std::move(table_index);
    }
    part.input.ops.shrink_to_fit();
    part.input.call.shrink_to_fit();
    part.input.ret.shrink_to_fit();
    part.table_index.shrink_to_fit();
    part.charge = MemoryCharge(&budget, part.input.bytes() + part.table_index.capacity() * 4);
    part.space->settle();
    return part;
}

}  // namespace atomixtest
