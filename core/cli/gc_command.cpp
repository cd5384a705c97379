// `atomix-test gc [--dry-run]`: removes what crashed runs left on this machine
// (see gc/garbage_collector.hpp for what counts and what is never touched).
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "gc/garbage_collector.hpp"

namespace atomixtest::cli {

int gc_command(const Args& args) {
    CLI::App app(
        "Remove what the framework made that no live process or user owns: clusters whose "
        "owner has exited, and processes, namespaces, cgroups and state left by a crash",
        "atomix-test gc");
    bool dry_run = false;
    app.add_flag("-n,--dry-run", dry_run, "say what would be removed, remove nothing");
    if (auto code = parse_args(app, args)) return *code;
    auto started = std::chrono::steady_clock::now();
    Workspace workspace;
    auto report = collect_garbage(workspace, dry_run, std::cout);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::cout << "gc: " << report.removed.size() << (dry_run ? " to remove" : " removed") << ", "
              << report.kept.size() << " cluster(s) in use kept, in " << elapsed.count() << " ms\n";
    return report.problems.empty() ? 0 : 2;
}

}  // namespace atomixtest::cli
