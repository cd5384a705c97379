// counter: add (a delta, negative allowed), read, and write (sets it, as
// counter.set does); it starts at 0 unless --initial says otherwise.
#include "check/search_model.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

std::optional<SearchOp> translate_counter(const OperationTable& table, const Operation& op,
                                          StateSpace&) {
    const auto& f = table.names[op.f];
    bool info = op.type == EventType::Info;
    auto integer = [&](uint32_t id, const char* what) {
        const auto& value = table.values.value(id);
        if (!value.is_number_integer()) {
            operation_error(table, op,
                            std::string(what) + " is an integer, not " + printable(value));
        }
        return value.get<int64_t>();
    };
    if (f == "read") {
        if (info) return std::nullopt;
        return SearchOp{OpKind::Read, false, integer(op.result, "a counter read's value"), 0};
    }
    if (f == "add") return SearchOp{OpKind::Add, info, integer(op.value, "an add's value"), 0};
    if (f == "write") return SearchOp{OpKind::Write, info, integer(op.value, "a write's value"), 0};
    operation_error(table, op,
                    "unknown operation '" + f + "' for the model counter (read, add, write)");
}

}  // namespace atomixtest
