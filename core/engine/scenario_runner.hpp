// Runs one scenario from start to end: a fresh cluster, the steps, the
// assertions, then every fault cleared and the cluster torn down, whatever
// happened before.
#pragma once

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "atomixtest/error.hpp"
#include "scenario/progress_style.hpp"
#include "scenario/scenario.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

// One assertion of a scenario, judged on its own (a JUnit testcase of its own).
struct AssertionResult {
    std::string verb;
    std::string where;  // file:line:column
    bool ran = false;   // false: the steps failed before it
    bool passed = false;
    std::string message;
    std::chrono::duration<double> elapsed{0};
};

struct ScenarioResult {
    std::string name;
    std::string file;
    bool passed = false;
    ErrorKind failure_kind = ErrorKind::AssertionFailed;
    std::string message;  // why it failed, starting with file:line:column
    std::chrono::duration<double> elapsed{0};
    std::string history_file;  // where its history was written, if anywhere
    std::vector<AssertionResult> assertions;
    std::filesystem::path results_dir;  // its record, when one was asked for
};

struct RunOptions {
    uint64_t seed = 0;
    bool keep_cluster = false;
    // Where each scenario's history goes (<name>.jsonl); empty: kept in memory only.
    std::filesystem::path history_dir;
    // Where the scenario's record goes (history, logs, check, summary,
    // report); empty: none.
    std::filesystem::path results_dir;
    bool edn = false;               // history.edn beside history.jsonl
    size_t check_memory_limit = 0;  // for `linearizable`; 0: the checker's default
    bool check_all_keys = false;    // `linearizable` decides every key, not only the verdict
    ProgressStyle progress = ProgressStyle::Lines;  // an entropy phase's status line
};

ScenarioResult run_scenario(Workspace& workspace, const Scenario& scenario,
                            const RunOptions& options, std::ostream& log);

}  // namespace atomixtest
