// register (read, write) and cas-register (read, write, cas [old new]), as in
// Knossos: a read sees the last value written, nil while unset.
#include "check/search_model.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

std::optional<SearchOp> translate_register(const OperationTable& table, const Operation& op,
                                           StateSpace& space, bool with_cas) {
    const auto& f = table.names[op.f];
    bool info = op.type == EventType::Info;
    if (f == "read") {
        if (info) return std::nullopt;  // an unknown read constrains nothing
        return SearchOp{OpKind::Read, false, op.result, 0};
    }
    if (f == "write") return SearchOp{OpKind::Write, info, op.value, 0};
    if (f == "cas" && with_cas) {
        const auto& pair = table.values.value(op.value);
        if (!pair.is_array() || pair.size() != 2) {
            operation_error(table, op, "a cas's value is [old new], not " + printable(pair));
        }
        bool valid = true;
        auto old = space.state_of(pair[0], valid);
        return SearchOp{OpKind::Cas, info, old, space.state_of(pair[1], valid)};
    }
    operation_error(table, op,
                    "unknown operation '" + f + "' for the model " +
                        (with_cas ? "cas-register (read, write, cas)" : "register (read, write)"));
}

}  // namespace atomixtest
