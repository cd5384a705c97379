#include "engine/scenario_runner.hpp"

#include <unistd.h>

#include <random>

#include "engine/step_executor.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest {

namespace {

// A scenario's cluster is named after it, with a suffix so that two runs of the
// same scenario on one machine never collide.
std::string cluster_name_for(const Scenario& scenario) {
    std::random_device entropy;
    char suffix[8];
    snprintf(suffix, sizeof suffix, "%04x", entropy() & 0xFFFF);
    return scenario.name.substr(0, 34) + "-" + suffix;
}

}  // namespace

ScenarioResult run_scenario(Workspace& workspace, const Scenario& scenario,
                            const RunOptions& options, std::ostream& log) {
    ScenarioResult result{scenario.name, scenario.file};
    auto started = std::chrono::steady_clock::now();
    auto cluster = cluster_name_for(scenario);
    std::shared_ptr<Backend> backend;
    bool created = false;
    try {
        backend = workspace.backend(scenario.cluster.backend);
        auto profile = load_profile_to_start(scenario.cluster.profile);
        log << scenario.name << ": setting up " << scenario.cluster.nodes << "-node "
            << profile.name << " cluster " << cluster << " (" << scenario.cluster.backend << ")\n";
        backend->setup({cluster, profile.name, scenario.cluster.nodes, ""}, profile);
        created = true;
        auto history = options.history_dir.empty()
                           ? std::make_unique<HistoryRecorder>()
                           : std::make_unique<HistoryRecorder>(
                                 options.history_dir / (scenario.name + ".jsonl"),
                                 HistoryFormat::Jsonl, false);
        if (history->writes_file()) {
            result.history_file = (options.history_dir / (scenario.name + ".jsonl")).string();
        }
        StepExecutor executor(workspace, backend, cluster, options.seed, log, *history);
        try {
            for (const auto& step : scenario.steps) executor.run(step);
            // Assertions judge the cluster as the steps left it, faults included.
            for (const auto& check : scenario.asserts) executor.run(check);
            result.passed = true;
        } catch (const Error& error) {
            result.failure_kind = error.kind();
            result.message = error.what();
        }
        try {
            executor.clear_faults();
        } catch (const Error& error) {
            log << "warning: clearing faults: " << error.what() << "\n";
        }
    } catch (const Error& error) {
        result.passed = false;
        result.failure_kind = error.kind();
        result.message = error.what();
    }
    if (created && !options.keep_cluster) {
        try {
            backend->teardown(cluster);
        } catch (const Error& error) {
            log << "warning: teardown of " << cluster << ": " << error.what() << "\n";
        }
    }
    result.elapsed = std::chrono::steady_clock::now() - started;
    return result;
}

}  // namespace atomixtest
