#include "engine/scenario_runner.hpp"

#include <unistd.h>

#include <random>

#include "atomixtest/interrupt.hpp"
#include "engine/scenario_record.hpp"
#include "engine/step_executor.hpp"
#include "profile/profile_loader.hpp"
#include "results/results_dir.hpp"
#include "session/cluster_lease.hpp"
#include "util/scope_exit.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

// A scenario's cluster is named after it, with a suffix so that two runs of the
// same scenario on one machine never collide.
std::string cluster_name_for(const Scenario& scenario) {
    std::random_device entropy;
    char suffix[8];
    snprintf(suffix, sizeof suffix, "%04x", entropy() & 0xFFFF);
    return scenario.name.substr(0, 34) + "-" + suffix;
}

// The scenario's entropy block on its cluster, recorded in a results
// directory of its own (beside the scenarios' histories when --history is given).
EntropyPhaseResult run_scenario_entropy(Workspace& workspace,
                                        const std::shared_ptr<Backend>& backend,
                                        const std::string& cluster, const Scenario& scenario,
                                        const RunOptions& options, std::ostream& log) {
    auto entropy = *scenario.entropy;
    entropy.seed = scenario.entropy_seed.value_or(options.seed);
    entropy.check_memory_limit = options.check_memory_limit;
    entropy.check_all_keys = options.check_all_keys;
    entropy.progress = options.progress;
    entropy.replay = "atomix-test run " + scenario.file + " --seed " + std::to_string(options.seed);
    // In the scenario's record; else beside its history; else a results
    // directory of its own.
    auto results = !options.results_dir.empty()
                       ? make_results_dir(options.results_dir / "entropy", "")
                   : !options.history_dir.empty()
                       ? make_results_dir(options.history_dir / (scenario.name + "-entropy"), "")
                       : make_results_dir({}, scenario.name);
    log << scenario.name << ": entropy for " << format_duration(entropy.run_time) << "\n";
    auto result = run_entropy_phase(workspace, backend, cluster, entropy, results, log);
    throw_if_interrupted("the entropy run");
    return result;
}

fs::path history_file_for(const Scenario& scenario, const RunOptions& options) {
    if (!options.results_dir.empty()) {
        fs::create_directories(options.results_dir);
        return options.results_dir / "history.jsonl";
    }
    if (!options.history_dir.empty()) return options.history_dir / (scenario.name + ".jsonl");
    return {};
}

AssertionResult judge(StepExecutor& executor, const Step& check, bool steps_passed) {
    AssertionResult judged{check.verb, format_mark(check.mark)};
    if (!steps_passed) return judged;
    judged.ran = true;
    auto started = std::chrono::steady_clock::now();
    try {
        executor.run(check);
        judged.passed = true;
    } catch (const std::exception& error) {
        judged.message = error.what();
    }
    judged.elapsed = std::chrono::steady_clock::now() - started;
    return judged;
}

void note_failure(ScenarioResult& result, ErrorKind kind, const std::string& message) {
    result.passed = false;
    result.failure_kind = kind;
    result.message = message;
}

// The steps, the entropy block and the assertions on a cluster that exists;
// whatever they throw (a plugin's exception of any type included) is the
// scenario's failure, and the faults are cleared on every way out.
void run_on_cluster(Workspace& workspace, const Scenario& scenario, const RunOptions& options,
                    const ClusterLease& lease, ScenarioResult& result, std::ostream& log) {
    auto history_file = history_file_for(scenario, options);
    auto history = history_file.empty() ? std::make_unique<HistoryRecorder>()
                                        : std::make_unique<HistoryRecorder>(
                                              history_file, HistoryFormat::Jsonl, false);
    result.history_file = history_file.string();
    StepExecutor executor(workspace, lease.backend(), lease.name(), options.seed, log, *history);
    executor.set_check_limits(options.check_memory_limit, options.check_all_keys);
    ScopeExit clear_faults([&] {
        try {
            executor.clear_faults();
        } catch (const std::exception& error) {
            log << "warning: " << error.what() << "\n";
        }
    });
    try {
        for (const auto& step : scenario.steps) executor.run(step);
        if (scenario.entropy) {
            executor.set_entropy_result(run_scenario_entropy(workspace, lease.backend(),
                                                             lease.name(), scenario, options, log));
        }
        result.passed = true;
    } catch (const Error& error) {
        note_failure(result, error.kind(), error.what());
    } catch (const std::exception& error) {
        note_failure(result, ErrorKind::Internal, error.what());
    }
    // Assertions judge the cluster as the steps left it, faults included,
    // each on its own; the first that fails is the scenario's failure.
    const bool steps_passed = result.passed;
    for (const auto& check : scenario.asserts) {
        result.assertions.push_back(judge(executor, check, steps_passed));
        const auto& judged = result.assertions.back();
        if (judged.ran && !judged.passed && result.passed) {
            note_failure(result, ErrorKind::AssertionFailed, judged.message);
        }
    }
    if (!options.results_dir.empty()) {
        save_node_logs(*lease.backend(), lease.name(), options.results_dir / "logs", log);
        write_check_record(executor, options.results_dir);
    }
    clear_faults.run_now();
}

}  // namespace

ScenarioResult run_scenario(Workspace& workspace, const Scenario& scenario,
                            const RunOptions& options, std::ostream& log) {
    ScenarioResult result{scenario.name, scenario.file};
    auto started = std::chrono::steady_clock::now();
    try {
        ClusterLease lease(workspace, scenario.cluster.backend, log);
        auto profile = load_profile_to_start(scenario.cluster.profile);
        auto cluster = cluster_name_for(scenario);
        log << scenario.name << ": setting up " << scenario.cluster.nodes << "-node "
            << profile.name << " cluster " << cluster << " (" << scenario.cluster.backend << ")\n";
        ClusterSpec spec{cluster, profile.name, scenario.cluster.nodes, ""};
        if (wants_lazy_disk(scenario)) spec.disk = "lazy";
        lease.setup(spec, profile, options.keep_cluster);
        run_on_cluster(workspace, scenario, options, lease, result, log);
    } catch (const Error& error) {
        note_failure(result, error.kind(), error.what());
    } catch (const std::exception& error) {
        note_failure(result, ErrorKind::Internal, error.what());
    }
    result.elapsed = std::chrono::steady_clock::now() - started;
    if (!options.results_dir.empty()) {
        result.results_dir = options.results_dir;
        write_scenario_record(scenario, options, result, log);
    }
    return result;
}

}  // namespace atomixtest
