// kv: independent registers by key (the checker splits the history by key),
// each with get, put, append (string concatenation; an unset key appends to
// the empty string), remove (unsets) and cas [old new].
#include "check/search_model.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

std::optional<SearchOp> translate_kv(const OperationTable& table, const Operation& op,
                                     StateSpace& space) {
    const auto& f = table.names[op.f];
    bool info = op.type == EventType::Info;
    if (f == "get") {
        if (info) return std::nullopt;
        bool valid = true;
        return SearchOp{OpKind::Read, false, space.state_of(table.values.value(op.result), valid),
                        0};
    }
    if (f == "put") {
        bool valid = true;
        return SearchOp{OpKind::Write, info, space.state_of(table.values.value(op.value), valid),
                        0};
    }
    if (f == "remove") return SearchOp{OpKind::Write, info, ValuePool::kNull, 0};
    if (f == "append") {
        if (!table.values.value(op.value).is_string()) {
            operation_error(
                table, op, "append takes a string, not " + printable(table.values.value(op.value)));
        }
        return SearchOp{OpKind::Append, info, op.value, 0};
    }
    if (f == "cas") {
        const auto& pair = table.values.value(op.value);
        if (!pair.is_array() || pair.size() != 2) {
            operation_error(table, op, "a cas's value is [old new], not " + printable(pair));
        }
        bool valid = true;
        auto old = space.state_of(pair[0], valid);
        return SearchOp{OpKind::Cas, info, old, space.state_of(pair[1], valid)};
    }
    operation_error(
        table, op,
        "unknown operation '" + f + "' for the model kv (get, put, append, remove, cas)");
}

}  // namespace atomixtest
