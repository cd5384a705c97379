#include "history/event_fields.hpp"

#include <utility>
#include <vector>

#include "atomixtest/error.hpp"

namespace atomixtest {

void throw_at(const std::string& source, uint32_t line, uint32_t column,
              const std::string& message) {
    throw bad_input(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                    message);
}

bool nested_too_deep(const nlohmann::json& value) {
    if (!value.is_structured()) return false;
    std::vector<std::pair<const nlohmann::json*, int>> open{{&value, 1}};
    while (!open.empty()) {
        auto [at, depth] = open.back();
        open.pop_back();
        if (depth > kMaxValueDepth) return true;
        for (const auto& item : *at) {
            if (item.is_structured()) open.emplace_back(&item, depth + 1);
        }
    }
    return false;
}

std::string printable(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const char* to_string(EventType type) {
    switch (type) {
        case EventType::Invoke:
            return "invoke";
        case EventType::Ok:
            return "ok";
        case EventType::Fail:
            return "fail";
        case EventType::Info:
            return "info";
    }
    return "?";
}

std::optional<EventType> event_type_named(std::string_view name) {
    for (auto type : {EventType::Invoke, EventType::Ok, EventType::Fail, EventType::Info}) {
        if (name == to_string(type)) return type;
    }
    return std::nullopt;
}

HistoryEvent event_from_map(const nlohmann::json& map, const std::string& source, uint32_t line,
                            const FieldColumn& column_of) {
    auto fail = [&](const std::string& field, const std::string& message) {
        throw_at(source, line, field.empty() ? 1 : column_of(field), message);
    };
    if (!map.is_object()) fail("", "an event is a map of process, type, f, value");
    HistoryEvent event;
    event.line = line;
    event.column = column_of("");
    for (const char* required : {"process", "type", "f"}) {
        if (!map.contains(required)) fail("", std::string("the event has no ") + required);
    }
    const auto& process = map["process"];
    if (process.is_number_integer()) {
        event.process = process.get<int64_t>();
        if (event.process < 0) fail("process", "a process is a number >= 0 or nemesis");
    } else if (process == "nemesis") {
        event.process = kNemesisProcess;
    } else {
        fail("process", "a process is a number >= 0 or nemesis, not " + printable(process));
    }
    const auto& type = map["type"];
    auto named = type.is_string() ? event_type_named(type.get<std::string>()) : std::nullopt;
    if (!named) fail("type", "the type is invoke, ok, fail or info, not " + printable(type));
    event.type = *named;
    const auto& f = map["f"];
    if (!f.is_string() || f.get<std::string>().empty()) {
        fail("f", "f names the operation (read, write, ...), not " + printable(f));
    }
    event.f = f.get<std::string>();
    if (map.contains("key") && !map["key"].is_null()) {
        const auto& key = map["key"];
        if (key.is_string()) {
            event.key = key.get<std::string>();
        } else if (key.is_number_integer()) {
            event.key = printable(key);  // Jepsen's keys are often numbers
        } else {
            fail("key", "a key is a string or an integer, not " + printable(key));
        }
    }
    if (map.contains("value")) event.value = map["value"];
    if (map.contains("time")) {
        if (!map["time"].is_number_integer()) fail("time", "time is an integer (ns)");
        event.time_ns = map["time"].get<int64_t>();
    }
    return event;
}

}  // namespace atomixtest
