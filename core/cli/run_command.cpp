// `atomix-test run [SCENARIO|DIR...]`: every scenario is validated before any
// cluster is created, then each runs on a fresh cluster of its own.
#include <fnmatch.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "engine/junit_report.hpp"
#include "engine/scenario_record.hpp"
#include "engine/scenario_runner.hpp"
#include "entropy/progress_line.hpp"
#include "results/results_dir.hpp"
#include "session/verb_catalog.hpp"
#include "util/terminal_colour.hpp"

namespace atomixtest::cli {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> scenario_files(const std::vector<std::string>& targets) {
    std::vector<fs::path> files;
    for (const auto& target : targets) {
        if (fs::is_directory(target)) {
            std::vector<fs::path> found;
            for (const auto& entry : fs::recursive_directory_iterator(target)) {
                if (entry.path().extension() == ".yaml") found.push_back(entry.path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::exists(target)) {
            files.emplace_back(target);
        } else {
            throw not_found("no scenario file or directory " + target);
        }
    }
    return files;
}

}  // namespace

int run_command(const Args& args) {
    CLI::App app("Run scenarios, each on a fresh cluster; a directory runs every *.yaml in it",
                 "atomix-test run");
    std::vector<std::string> targets;
    std::string junit, history_dir, results_option, filter, memory_limit;
    bool keep = false, json = false, fail_fast = false, edn = false, all_keys = false;
    uint64_t seed = std::random_device{}();
    app.add_option("SCENARIO", targets, "scenario files or directories (default: scenarios)");
    app.add_option("--junit", junit, "also write the JUnit XML report to this file");
    app.add_option("--results", results_option,
                   "the run's record: a directory per scenario (history, logs, check, summary, "
                   "report.html) and junit.xml, summary.json (default results/<UTC time>-run)");
    app.add_option("--filter", filter,
                   "run only the scenarios whose name or file matches this glob (e.g. 'etcd-*')");
    app.add_flag("--fail-fast", fail_fast, "stop after the first scenario that fails");
    app.add_flag("--json", json, "print the run's summary as JSON (progress goes to stderr)");
    app.add_flag("--edn", edn, "write each history as Jepsen EDN too (history.edn)");
    app.add_option("--seed", seed, "seed for random choices (printed when not given)");
    app.add_flag("--keep", keep, "leave each cluster running after its scenario");
    app.add_option("--history", history_dir,
                   "also write each scenario's history (operations and faults) to DIR/NAME.jsonl");
    app.add_option("--memory-limit", memory_limit, kMemoryLimitHelp);
    app.add_flag("--all-keys", all_keys, kAllKeysHelp);
    bool quiet = false;
    app.add_flag("--quiet,-q", quiet,
                 "no status line during a scenario's entropy phase (redrawn in place on a "
                 "terminal, a line a second into a pipe); steps and verdicts still print");
    if (auto code = parse_args(app, args)) return *code;
    if (targets.empty()) targets.push_back("scenarios");
    auto check_memory_limit = parse_memory_limit(memory_limit);

    Workspace workspace;
    const auto& catalog = workspace.catalog();
    auto schema = load_scenario_schema();
    std::vector<Scenario> scenarios;
    std::string invalid;
    for (const auto& file : scenario_files(targets)) {
        try {
            auto scenario = load_scenario(file, catalog, schema);
            if (filter.empty() || fnmatch(filter.c_str(), scenario.name.c_str(), 0) == 0 ||
                fnmatch(filter.c_str(), file.string().c_str(), 0) == 0) {
                scenarios.push_back(std::move(scenario));
            }
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::BadInput && error.kind() != ErrorKind::NotFound) throw;
            invalid += std::string(error.what()) + "\n";
        }
    }
    if (!invalid.empty()) {
        std::cerr << invalid << "no scenario was run\n";
        return 2;
    }
    if (scenarios.empty()) {
        throw bad_input(filter.empty() ? "no scenario found in the given paths"
                                       : "no scenario matches --filter '" + filter + "'");
    }
    // Every place the run writes to is shown writable before any cluster is
    // made: a run that cannot keep its record must not leave a cluster behind.
    if (!history_dir.empty()) ensure_writable_dir(history_dir);
    auto results_root =
        make_results_dir(results_option, scenarios.size() == 1 ? scenarios[0].name : "run");
    for (const auto& scenario : scenarios) ensure_writable_dir(results_root / scenario.name);
    if (!junit.empty()) {
        auto parent = fs::absolute(junit).parent_path();
        ensure_writable_dir(parent);
    }

    // Progress is for people watching (often through a pipe, `| tee`): every
    // line as it happens. With --json, stdout is the summary alone.
    const int progress_fd = json ? STDERR_FILENO : STDOUT_FILENO;
    std::ostream& progress = json ? std::cerr : std::cout;
    progress << std::unitbuf;
    const bool colour = colour_wanted(progress_fd);
    const ProgressStyle entropy_status = progress_style_for(progress_fd, quiet);
    progress << "seed " << seed << "\nresults " << results_root.string() << "\n";
    std::vector<ScenarioResult> results;
    int failed = 0, errors = 0;
    for (const auto& scenario : scenarios) {
        if (interrupt_requested()) break;
        RunOptions options{seed,        keep,
                           history_dir, results_root / scenario.name,
                           edn,         check_memory_limit,
                           all_keys,    entropy_status};
        auto result = run_scenario(workspace, scenario, options, progress);
        char time[32];
        snprintf(time, sizeof time, "%.1fs", result.elapsed.count());
        progress << painted(result.passed ? "PASS" : "FAIL",
                            result.passed ? Colour::Green : Colour::Red, colour)
                 << " " << result.name << " (" << time << ")\n";
        if (!result.passed) {
            progress << "  " << result.message << "\n";
            (result.failure_kind == ErrorKind::AssertionFailed ? failed : errors)++;
        }
        if (!history_dir.empty()) {
            progress << "  history: " << (fs::path(history_dir) / (result.name + ".jsonl")).string()
                     << "\n";
        }
        progress << "  record: " << result.results_dir.string() << "\n";
        results.push_back(result);
        if (fail_fast && !result.passed) break;
    }
    auto passed = results.size() - static_cast<size_t>(failed + errors);
    progress << passed << " passed, " << (failed + errors) << " failed\n";
    auto xml = junit_xml(results);
    std::ofstream(results_root / "junit.xml") << xml;
    if (!junit.empty()) {
        std::ofstream out(junit);
        out << xml;
        if (!out) throw environment_error("cannot write " + junit);
    }
    nlohmann::json summary = {{"seed", seed},
                              {"passed", passed},
                              {"failed", failed + errors},
                              {"not_run", scenarios.size() - results.size()},
                              {"results", results_root.string()},
                              {"scenarios", nlohmann::json::array()}};
    for (const auto& result : results) summary["scenarios"].push_back(scenario_summary(result));
    write_json_file(results_root / "summary.json", summary);
    if (json) std::cout << summary.dump(2) << "\n";
    if (interrupt_requested()) return kInterruptedExit;
    return errors > 0 ? 2 : failed > 0 ? 1 : 0;
}

}  // namespace atomixtest::cli
