#include "report/report_input.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "atomixtest/error.hpp"
#include "history/availability.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

nlohmann::json json_file(const fs::path& file) {
    if (!fs::exists(file)) return nullptr;
    std::ifstream in(file);
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& error) {
        throw bad_input(file.string() + ": " + error.what());
    }
}

std::string last_lines(const fs::path& file, size_t count) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
        if (lines.size() > count * 2) lines.erase(lines.begin(), lines.end() - count);
    }
    if (lines.size() > count) lines.erase(lines.begin(), lines.end() - count);
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

std::string fault_label(const HistoryEvent& event) {
    auto name = event.value.value("fault", std::string("fault"));
    // Entropy faults name their nodes, scenario steps their node param.
    auto key = event.value.contains("nodes") ? "nodes" : "node";
    if (!event.value.contains(key)) return name;
    const auto& nodes = event.value[key];
    if (nodes.is_number()) return name + " (node " + nodes.dump() + ")";
    if (nodes.is_array()) return name + " (nodes " + nodes.dump() + ")";
    return name + " (every node)";
}

}  // namespace

ReportInput load_report_input(const fs::path& dir) {
    ReportInput input;
    input.dir = dir;
    auto format = HistoryFormat::Jsonl;
    input.history_file = dir / "history.jsonl";
    if (!fs::exists(input.history_file)) {
        input.history_file = dir / "history.edn";
        format = HistoryFormat::Edn;
    }
    if (!fs::exists(input.history_file)) {
        throw not_found(dir.string() + " has no history.jsonl or history.edn");
    }
    std::map<int64_t, size_t> open;  // process -> its operation in flight
    std::vector<size_t> open_faults;
    AvailabilityTally tally;
    read_history_file(input.history_file, format, [&](HistoryEvent&& event) {
        tally.add(event);
        input.end_ns = std::max(input.end_ns, event.time_ns);
        if (event.process == kNemesisProcess) {
            if (event.f == "start") {
                open_faults.push_back(input.faults.size());
                input.faults.push_back({event.value.value("fault", std::string("fault")),
                                        fault_label(event), event.time_ns, -1});
            } else if (event.f == "stop" && !open_faults.empty()) {
                input.faults[open_faults.back()].stop_ns = event.time_ns;
                open_faults.pop_back();
            }
            return;
        }
        if (event.type == EventType::Invoke) {
            open[event.process] = input.operations.size();
            input.operations.push_back(
                {event.process, event.time_ns, -1, event.line, EventType::Info});
            return;
        }
        auto invoked = open.find(event.process);
        if (invoked == open.end()) return;  // the checker names this; a drawing need not
        auto& operation = input.operations[invoked->second];
        operation.complete_ns = event.time_ns;
        operation.type = event.type;
        open.erase(invoked);
    });
    input.availability = tally.result().to_json();
    input.summary = json_file(dir / "summary.json");
    input.schedule = json_file(dir / "schedule.json");
    input.check = json_file(dir / "check.json");
    std::ifstream command(dir / "command.txt");
    std::getline(command, input.command);
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir / "logs", error)) {
        input.log_tails.emplace_back(entry.path().filename().string(),
                                     last_lines(entry.path(), 40));
    }
    std::sort(input.log_tails.begin(), input.log_tails.end());
    return input;
}

}  // namespace atomixtest
