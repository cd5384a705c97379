// `atomix-test report RESULTS_DIR`: the HTML report (and a summary, when the
// directory has none) made again from a results directory, which may hold a
// history from elsewhere (history.jsonl or a Jepsen history.edn).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "report/html_report.hpp"

namespace atomixtest::cli {

int report_command(const Args& args) {
    CLI::App app("Write RESULTS_DIR/report.html from the directory's history and records",
                 "atomix-test report");
    std::string dir;
    app.add_option("RESULTS_DIR", dir, "a results directory (history.jsonl or history.edn)")
        ->required();
    if (auto code = parse_args(app, args)) return *code;
    auto file = write_report(dir);
    std::cout << file.string() << "\n";
    return 0;
}

}  // namespace atomixtest::cli
