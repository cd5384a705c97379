// The checker's verdict for people (a line per verdict, the failing windows
// as tables) and for machines (JSON).
#include <iomanip>
#include <map>
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
    std::string grouped;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    return grouped;
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
    nlohmann::json out = {
        {"verdict", to_string(result.verdict)}, {"valid", result.verdict == Verdict::Linearizable},
        {"model", to_string(result.model)},     {"operations", result.operations},
        {"elapsed_s", result.elapsed.count()},  {"verdict_s", result.verdict_after.count()}};
    if (result.undecided != Undecided::No) {
        out["undecided"] = to_string(result.undecided);
        if (!result.undecided_detail.empty()) out["undecided_detail"] = result.undecided_detail;
    }
    auto keys = nlohmann::json::array();
    auto failing = nlohmann::json::array();
    for (const auto& key : result.keys) {
        nlohmann::json entry = {{"verdict", to_string(key.verdict)},
                                {"decided", key.verdict != Verdict::Unknown},
                                {"operations", key.operations},
                                {"steps", key.steps}};
        if (key.verdict == Verdict::Unknown) entry["reason"] = to_string(key.undecided);
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

namespace {

// The verdict line: counts, time, and the keys by outcome.
void write_summary(std::ostream& out, const CheckResult& result) {
    size_t bad = 0, left = 0;
    std::map<Undecided, size_t> undecided;
    for (const auto& key : result.keys) {
        bad += key.verdict == Verdict::NotLinearizable;
        if (key.undecided == Undecided::Unsearched || key.undecided == Undecided::Stopped) {
            ++left;
        } else if (key.verdict == Verdict::Unknown) {
            ++undecided[key.undecided];
        }
    }
    char seconds[64];
    snprintf(seconds, sizeof seconds, "%.2f s", result.elapsed.count());
    out << to_string(result.verdict) << ": " << with_commas(result.operations) << " operations, "
        << with_commas(result.keys.size()) << (result.keys.size() == 1 ? " key" : " keys")
        << " (model " << to_string(result.model) << ", " << seconds;
    if (bad && left) {
        snprintf(seconds, sizeof seconds, "%.2f s", result.verdict_after.count());
        out << ", the verdict after " << seconds;
    }
    out << ")";
    if (bad) out << "; " << bad << " not linearizable";
    for (const auto& [why, count] : undecided) {
        out << "; " << count << " undecided (" << to_string(why) << ")";
    }
    if (left) out << "; " << left << " not searched to the end (the verdict was known first)";
    if (result.undecided != Undecided::No && !result.undecided_detail.empty()) {
        out << "; undecided (" << to_string(result.undecided) << "): " << result.undecided_detail;
    }
    out << "\n";
}

}  // namespace

std::string format_check_result(const CheckResult& result) {
    std::ostringstream out;
    write_summary(out, result);
    bool left = false;
    for (const auto& key : result.keys) {
        if (key.undecided == Undecided::Unsearched || key.undecided == Undecided::Stopped) {
            left = true;
            continue;
        }
        if (key.verdict == Verdict::Unknown) {
            out << "  key " << key_name(key.key) << ": undecided (" << to_string(key.undecided)
                << "), " << with_commas(key.operations) << " operations\n";
        }
        if (key.verdict != Verdict::NotLinearizable) continue;
        out << "  key " << key_name(key.key) << ": not linearizable, "
            << with_commas(key.operations) << " operations\n";
        if (!key.window) {
            out << "    (no failing window: the verdict came from another key first, or the time "
                   "ran out)\n";
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
    if (left) out << "  (--all-keys decides and explains every key)\n";
    return out.str();
}

}  // namespace atomixtest
