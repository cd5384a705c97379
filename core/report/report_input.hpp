// What a report is drawn from: a results directory's history (history.jsonl,
// or history.edn), and whichever of summary.json, schedule.json, check.json,
// command.txt and logs/*.log are there. Operations are kept compact (a
// million of them fit in a few tens of MB); their values stay in the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atomixtest/history.hpp"

namespace atomixtest {

struct ReportOperation {
    int64_t process = 0;
    int64_t invoke_ns = 0;
    int64_t complete_ns = -1;  // -1: never completed
    uint32_t invoke_line = 0;
    EventType type = EventType::Info;  // the completion's
};

struct FaultWindow {
    std::string name;   // crash, partition-isolate, ...
    std::string label;  // name and nodes, as shown
    int64_t start_ns = 0;
    int64_t stop_ns = -1;  // -1: still in force at the end
};

struct ReportInput {
    std::filesystem::path dir;
    std::filesystem::path history_file;
    std::vector<ReportOperation> operations;  // in invocation order
    std::vector<FaultWindow> faults;
    int64_t end_ns = 0;           // the last event's time
    nlohmann::json availability;  // from the history: during and outside faults, latency
    nlohmann::json summary;       // null when absent
    nlohmann::json schedule;      // null when absent
    nlohmann::json check;         // null when absent
    std::string command;
    std::vector<std::pair<std::string, std::string>> log_tails;  // file name, last lines
};

// Throws Error(NotFound) when the directory has no history, Error(BadInput)
// (file:line:column) for a malformed one.
ReportInput load_report_input(const std::filesystem::path& dir);

}  // namespace atomixtest
