// The checker's verdict for people (a line per verdict, the failing windows
// as tables) and for machines (JSON).
#include <iomanip>
#include <sstream>

#include "atomixtest/check.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

namespace {

nlohmann::json operation_json(const CheckedOperation& op) {
    nlohmann::json out = {
        {"process", op.process},    {"type", to_string(op.type)}, {"f", op.f},
        {"value", op.value},        {"result", op.result},        {"invoke_line", op.invoke_line},
        {"invoke_ns", op.invoke_ns}};
    if (op.key) out["key"] = *op.key;
    if (op.type != EventType::Info) {
        out["complete_line"] = op.complete_line;
        out["complete_ns"] = op.complete_ns;
    }
    return out;
}

std::string key_name(const std::optional<std::string>& key) {
    return key ? printable(nlohmann::json(*key)) : std::string("(no key)");
}

std::string short_json(const nlohmann::json& value) {
    auto text = value.is_null() ? std::string("nil") : printable(value);
    return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

std::string with_commas(size_t n) {
    auto digits = std::to_string(n);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
    return digits;
}

void write_table(std::ostream& out, const std::vector<CheckedOperation>& ops) {
    out << "      " << std::left << std::setw(9) << "process" << std::setw(6) << "type"
        << std::setw(9) << "f" << std::setw(22) << "value" << std::setw(22) << "result"
        << "lines\n";
    for (const auto& op : ops) {
        auto lines = std::to_string(op.invoke_line) + "-" +
                     (op.type == EventType::Info ? std::string("(never completed)")
                                                 : std::to_string(op.complete_line));
        out << "      " << std::setw(9) << op.process << std::setw(6) << to_string(op.type)
            << std::setw(9) << op.f << std::setw(22) << short_json(op.value) << std::setw(22)
            << (op.type == EventType::Info ? std::string("?") : short_json(op.result)) << lines
            << "\n";
    }
}

}  // namespace

nlohmann::json to_json(const CheckResult& result) {
    nlohmann::json out = {{"verdict", to_string(result.verdict)},
                          {"valid", result.verdict == Verdict::Linearizable},
                          {"model", to_string(result.model)},
                          {"operations", result.operations},
                          {"elapsed_s", result.elapsed.count()}};
    auto keys = nlohmann::json::array();
    auto failing = nlohmann::json::array();
    for (const auto& key : result.keys) {
        nlohmann::json entry = {{"verdict", to_string(key.verdict)},
                                {"operations", key.operations}};
        if (key.verdict == Verdict::Unknown) {
            entry["undecided_at"] = key.out_of_memory ? "memory limit" : "timeout";
        }
        entry["key"] = key.key ? nlohmann::json(*key.key) : nlohmann::json(nullptr);
        keys.push_back(entry);
        if (!key.window) continue;
        nlohmann::json window = {{"key", entry["key"]},
                                 {"prefix_length", key.window->prefix_length},
                                 {"state", key.window->state}};
        window["prefix_tail"] = nlohmann::json::array();
        for (const auto& op : key.window->prefix_tail)
            window["prefix_tail"].push_back(operation_json(op));
        window["operations"] = nlohmann::json::array();
        for (const auto& op : key.window->operations)
            window["operations"].push_back(operation_json(op));
        failing.push_back(window);
    }
    out["keys"] = keys;
    out["failing"] = failing;
    return out;
}

std::string format_check_result(const CheckResult& result) {
    std::ostringstream out;
    size_t bad = 0, timed_out = 0, out_of_memory = 0;
    for (const auto& key : result.keys) {
        bad += key.verdict == Verdict::NotLinearizable;
        bool unknown = key.verdict == Verdict::Unknown;
        (key.out_of_memory ? out_of_memory : timed_out) += unknown;
    }
    char seconds[32];
    snprintf(seconds, sizeof seconds, "%.2f s", result.elapsed.count());
    out << to_string(result.verdict) << ": " << with_commas(result.operations) << " operations, "
        << with_commas(result.keys.size()) << (result.keys.size() == 1 ? " key" : " keys")
        << " (model " << to_string(result.model) << ", " << seconds << ")";
    if (bad) out << "; " << bad << " not linearizable";
    if (timed_out) out << "; " << timed_out << " undecided (timeout)";
    if (out_of_memory) out << "; " << out_of_memory << " undecided (memory limit)";
    out << "\n";
    for (const auto& key : result.keys) {
        if (key.verdict == Verdict::Unknown) {
            out << "  key " << key_name(key.key) << ": undecided"
                << (key.out_of_memory ? " at the memory limit" : "") << ", "
                << with_commas(key.operations) << " operations\n";
        }
        if (key.verdict != Verdict::NotLinearizable) continue;
        out << "  key " << key_name(key.key) << ": not linearizable, "
            << with_commas(key.operations) << " operations\n";
        if (!key.window) {
            out << "    (no failing window: the time ran out first)\n";
            continue;
        }
        const auto& window = *key.window;
        if (window.prefix_length > 0) {
            out << "    a linearizable prefix of " << with_commas(window.prefix_length)
                << " operations ends with:\n";
            write_table(out, window.prefix_tail);
        }
        out << "    then the state is " << short_json(window.state) << ", and these "
            << window.operations.size() << " operations cannot be linearized from it:\n";
        write_table(out, window.operations);
    }
    return out.str();
}

}  // namespace atomixtest
