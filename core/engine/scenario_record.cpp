#include "engine/scenario_record.hpp"

#include <fstream>

#include "atomixtest/error.hpp"
#include "report/html_report.hpp"
#include "results/results_dir.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

void write_check_record(const StepExecutor& executor, const fs::path& dir) {
    if (executor.check_result())
        write_json_file(dir / "check.json", to_json(*executor.check_result()));
}

nlohmann::json scenario_summary(const ScenarioResult& result) {
    nlohmann::json assertions = nlohmann::json::array();
    for (const auto& judged : result.assertions) {
        assertions.push_back({{"verb", judged.verb},
                              {"where", judged.where},
                              {"ran", judged.ran},
                              {"passed", judged.passed},
                              {"message", judged.message},
                              {"elapsed_s", judged.elapsed.count()}});
    }
    return {{"name", result.name},
            {"file", result.file},
            {"verdict", result.passed ? "passed" : "failed"},
            {"failure", result.passed ? nlohmann::json(nullptr)
                                      : nlohmann::json({{"kind", to_string(result.failure_kind)},
                                                        {"message", result.message}})},
            {"elapsed_s", result.elapsed.count()},
            {"assertions", assertions},
            {"results", result.results_dir.string()}};
}

void write_scenario_record(const Scenario& scenario, const RunOptions& options,
                           const ScenarioResult& result, std::ostream& log) {
    const auto& dir = options.results_dir;
    try {
        fs::create_directories(dir);
        std::error_code ignored;
        fs::copy_file(scenario.file, dir / "scenario.yaml", fs::copy_options::overwrite_existing,
                      ignored);
        auto command =
            "atomix-test run " + scenario.file + " --seed " + std::to_string(options.seed);
        std::ofstream(dir / "command.txt") << command << "\n";
        auto summary = scenario_summary(result);
        summary["seed"] = options.seed;
        summary["command"] = command;
        summary["cluster"] = {{"backend", scenario.cluster.backend},
                              {"profile", scenario.cluster.profile},
                              {"nodes", scenario.cluster.nodes}};
        if (fs::exists(dir / "entropy")) summary["entropy"] = (dir / "entropy").string();
        write_json_file(dir / "summary.json", summary);
        if (options.edn && fs::exists(dir / "history.jsonl")) {
            std::ofstream edn(dir / "history.edn");
            write_history_edn(edn, read_history_file(dir / "history.jsonl", HistoryFormat::Jsonl));
        }
        if (!options.history_dir.empty() && fs::exists(dir / "history.jsonl")) {
            fs::create_directories(options.history_dir);
            fs::copy_file(dir / "history.jsonl", options.history_dir / (scenario.name + ".jsonl"),
                          fs::copy_options::overwrite_existing);
        }
        write_report(dir);
    } catch (const std::exception& error) {
        log << "warning: the record of " << scenario.name << ": " << error.what() << "\n";
    }
}

}  // namespace atomixtest
