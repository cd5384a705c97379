// `atomix-test run [SCENARIO|DIR...]`: every scenario is validated before any
// cluster is created, then each runs on a fresh cluster of its own.
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
#include "engine/scenario_runner.hpp"
#include "engine/step_catalog.hpp"

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
    std::string junit;
    bool keep = false;
    std::string history_dir;
    uint64_t seed = std::random_device{}();
    app.add_option("SCENARIO", targets, "scenario files or directories (default: scenarios)");
    app.add_option("--junit", junit, "write a JUnit XML report to this file");
    app.add_option("--seed", seed, "seed for random choices (printed when not given)");
    app.add_flag("--keep", keep, "leave each cluster running after its scenario");
    app.add_option("--history", history_dir,
                   "write each scenario's history (operations and faults) to DIR/NAME.jsonl");
    if (auto code = parse_args(app, args)) return *code;
    if (targets.empty()) targets.push_back("scenarios");

    Workspace workspace;
    auto catalog = build_verb_catalog(workspace);
    auto schema = load_scenario_schema();
    std::vector<Scenario> scenarios;
    std::string invalid;
    for (const auto& file : scenario_files(targets)) {
        try {
            scenarios.push_back(load_scenario(file, catalog, schema));
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::BadInput && error.kind() != ErrorKind::NotFound) throw;
            invalid += std::string(error.what()) + "\n";
        }
    }
    if (!invalid.empty()) {
        std::cerr << invalid << "no scenario was run\n";
        return 2;
    }
    if (scenarios.empty()) throw bad_input("no scenario found in the given paths");
    if (!history_dir.empty()) {
        std::error_code error;
        fs::create_directories(history_dir, error);
        if (!fs::is_directory(history_dir)) {
            throw environment_error("cannot create the history directory " + history_dir);
        }
    }

    // Progress is for people watching (often through a pipe, `| tee`): every
    // line as it happens.
    std::cout << std::unitbuf;
    std::cout << "seed " << seed << "\n";
    std::vector<ScenarioResult> results;
    int failed = 0, errors = 0;
    for (const auto& scenario : scenarios) {
        if (interrupt_requested()) break;
        auto result = run_scenario(workspace, scenario, {seed, keep, history_dir}, std::cout);
        char time[32];
        snprintf(time, sizeof time, "%.1fs", result.elapsed.count());
        std::cout << (result.passed ? "PASS " : "FAIL ") << result.name << " (" << time << ")\n";
        if (!result.passed) {
            std::cout << "  " << result.message << "\n";
            (result.failure_kind == ErrorKind::AssertionFailed ? failed : errors)++;
        }
        if (!result.history_file.empty()) std::cout << "  history: " << result.history_file << "\n";
        results.push_back(result);
    }
    std::cout << (results.size() - static_cast<size_t>(failed + errors)) << " passed, "
              << (failed + errors) << " failed\n";
    if (!junit.empty()) {
        std::ofstream out(junit);
        out << junit_xml(results);
        if (!out) throw environment_error("cannot write " + junit);
    }
    if (interrupt_requested()) return kInterruptedExit;
    return errors > 0 ? 2 : failed > 0 ? 1 : 0;
}

}  // namespace atomixtest::cli
