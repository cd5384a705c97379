// The models by name, and the dispatch to each one's translation.
#include "atomixtest/error.hpp"
#include "check/search_model.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

namespace {

constexpr Model kModels[] = {Model::Register, Model::CasRegister, Model::Kv, Model::Counter,
                             Model::Set};

}  // namespace

const char* to_string(Model model) {
    switch (model) {
        case Model::Register:
            return "register";
        case Model::CasRegister:
            return "cas-register";
        case Model::Kv:
            return "kv";
        case Model::Counter:
            return "counter";
        case Model::Set:
            return "set";
    }
    return "?";
}

Model model_named(std::string_view name) {
    std::string known;
    for (auto model : kModels) {
        if (name == to_string(model)) return model;
        known += (known.empty() ? "" : ", ") + std::string(to_string(model));
    }
    throw bad_input("unknown model '" + std::string(name) + "' (models: " + known + ")");
}

const char* to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::Linearizable:
            return "linearizable";
        case Verdict::NotLinearizable:
            return "not linearizable";
        case Verdict::Unknown:
            return "unknown";
    }
    return "?";
}

void operation_error(const OperationTable& table, const Operation& op, const std::string& message) {
    throw_at(table.source, op.invoke_line, op.invoke_column == 0 ? 1 : op.invoke_column, message);
}

std::optional<SearchOp> translate_operation(Model model, const OperationTable& table,
                                            const Operation& op, StateSpace& space) {
    switch (model) {
        case Model::Register:
            return translate_register(table, op, space, false);
        case Model::CasRegister:
            return translate_register(table, op, space, true);
        case Model::Kv:
            return translate_kv(table, op, space);
        case Model::Counter:
            return translate_counter(table, op, space);
        case Model::Set:
            return translate_set(table, op, space);
    }
    return std::nullopt;
}

}  // namespace atomixtest
