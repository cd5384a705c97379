#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"

namespace atomixtest::cli {

namespace {

void on_signal(int) {
    request_interrupt();
}

const char* kUsage =
    "atomix-test: fault injection for clustered systems (etcd, Atomix 3)\n\n"
    "usage: atomix-test COMMAND [ARGS...]\n\n"
    "commands:\n"
    "  cluster list                      list clusters\n"
    "  cluster NAME COMMAND ...          manage a cluster (atomix-test cluster --help)\n"
    "  run [SCENARIO|DIR...]             run scenarios (atomix-test run --help)\n"
    "  entropy [OPTIONS] FUNCTION...     randomized fault runs, checked (atomix-test entropy\n"
    "                                    --help)\n"
    "  check HISTORY --model M           check a history for linearizability (exit 0 yes,\n"
    "                                    1 no, 3 undecided; atomix-test check --help)\n"
    "  report RESULTS_DIR                write RESULTS_DIR/report.html (atomix-test report "
    "--help)\n"
    "  plugins [--json]                  the plugins found, their verbs and parameters\n"
    "  gc [--dry-run]                    remove what crashed runs left (clusters whose owner\n"
    "                                    exited, namespaces, processes, cgroups, state)\n\n"
    "exit codes: 0 ok, 1 a test or assertion failed, 2 bad input, usage or set-up problem,\n"
    "            130 interrupted (Ctrl-C or SIGTERM; what was started is cleaned up first)\n";

}  // namespace

int run_cli(int argc, char** argv) {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    signal(SIGPIPE, SIG_IGN);

    // Progress reaches a pipe (CI logs, a wrapper) as it happens, not when a
    // buffer fills: a run killed half way still shows how far it got.
    std::cout << std::unitbuf;
    Args args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "cluster") return cluster_command(args);
        if (command == "run") return run_command(args);
        if (command == "entropy") return entropy_command(args);
        if (command == "check") return check_command(args);
        if (command == "report") return report_command(args);
        if (command == "gc") return gc_command(args);
        if (command == "plugins") return plugins_command(args);
        std::cerr << "atomix-test: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    } catch (const Error& error) {
        std::cerr << "error: " << error.what() << "\n";
        return interrupt_requested() ? kInterruptedExit : exit_code_for(error.kind());
    } catch (const std::exception& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 2;
    }
}

}  // namespace atomixtest::cli
