// Runs one scenario from start to end: a fresh cluster, the steps, the
// assertions, then every fault cleared and the cluster torn down, whatever
// happened before.
#pragma once

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

#include "atomixtest/error.hpp"
#include "engine/workspace.hpp"
#include "scenario/scenario.hpp"

namespace atomixtest {

struct ScenarioResult {
    std::string name;
    std::string file;
    bool passed = false;
    ErrorKind failure_kind = ErrorKind::AssertionFailed;
    std::string message;  // why it failed, starting with file:line:column
    std::chrono::duration<double> elapsed{0};
    std::string history_file;  // where its history was written, if anywhere
};

struct RunOptions {
    uint64_t seed = 0;
    bool keep_cluster = false;
    // Where each scenario's history goes (<name>.jsonl); empty: kept in memory only.
    std::filesystem::path history_dir;
};

ScenarioResult run_scenario(Workspace& workspace, const Scenario& scenario,
                            const RunOptions& options, std::ostream& log);

}  // namespace atomixtest
