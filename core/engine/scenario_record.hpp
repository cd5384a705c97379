// A scenario's record in its results directory: the scenario as run
// (scenario.yaml, the seed and command in summary.json and command.txt), the
// checker's verdict and failing window (check.json), the history (and
// history.edn on request), and report.html over all of it.
#pragma once

#include <filesystem>
#include <ostream>

#include "engine/scenario_runner.hpp"
#include "engine/step_executor.hpp"

namespace atomixtest {

void write_check_record(const StepExecutor& executor, const std::filesystem::path& dir);

void write_scenario_record(const Scenario& scenario, const RunOptions& options,
                           const ScenarioResult& result, std::ostream& log);

nlohmann::json scenario_summary(const ScenarioResult& result);

}  // namespace atomixtest
