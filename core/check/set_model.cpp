// set: add an element; a read returns the whole set (a vector or #{} in EDN,
// an array in JSON Lines; order does not matter).
#include "check/search_model.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

std::optional<SearchOp> translate_set(const OperationTable& table, const Operation& op,
                                      StateSpace& space) {
    const auto& f = table.names[op.f];
    bool info = op.type == EventType::Info;
    // Elements are value ids: the pool's, which a read's elements resolve to too.
    if (f == "add") return SearchOp{OpKind::SetAdd, info, op.value, 0};
    if (f == "read") {
        if (info) return std::nullopt;
        bool valid = true;
        auto set = space.state_of(table.values.value(op.result), valid);
        if (!valid) {
            operation_error(table, op,
                            "a set read's value is the whole set, not " +
                                printable(table.values.value(op.result)));
        }
        return SearchOp{OpKind::SetRead, false, set, 0};
    }
    operation_error(table, op, "unknown operation '" + f + "' for the model set (add, read)");
}

}  // namespace atomixtest
