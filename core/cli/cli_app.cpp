#include <signal.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest::cli {

namespace {

void on_signal(int) {
    request_interrupt();
}

const char* kUsage =
    "atomix-test: fault injection for clustered systems (etcd, Atomix 3)\n\n"
    "usage: atomix-test [--profiles DIR]... COMMAND [ARGS...]\n\n"
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
    "--profiles DIR: profiles of your own (NAME.yaml), found before the installed ones;\n"
    "                scenarios name profiles, never paths (also ATOMIX_TEST_PROFILE_PATH)\n\n"
    "exit codes: 0 ok, 1 a test or assertion failed, 2 bad input, usage or set-up problem,\n"
    "            130 interrupted (Ctrl-C, SIGTERM or SIGHUP; what was started is cleaned up\n"
    "            first)\n";

}  // namespace

int run_cli(int argc, char** argv) {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A closed terminal (or ssh session) is a request to stop, not a reason to
    // die with faults in force: the same clean-up as Ctrl-C.
    sigaction(SIGHUP, &action, nullptr);
    signal(SIGPIPE, SIG_IGN);
    // Whatever the caller's umask, nothing this root process writes (state
    // that names the commands a supervisor runs, results) is writable by
    // others; the directories that must be private are also made so.
    umask(umask(022) | 022);

    // Progress reaches a pipe (CI logs, a wrapper) as it happens, not when a
    // buffer fills: a run killed half way still shows how far it got.
    std::cout << std::unitbuf;
    Args args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    try {
        // Options of every command, before the command's name.
        while (!args.empty() && args[0].rfind("--profiles", 0) == 0) {
            if (args[0] == "--profiles" && args.size() > 1) {
                add_profile_directory(args[1]);
                args.erase(args.begin(), args.begin() + 2);
            } else if (args[0].rfind("--profiles=", 0) == 0) {
                add_profile_directory(args[0].substr(11));
                args.erase(args.begin());
            } else {
                throw bad_input("--profiles needs a directory");
            }
        }
        if (args.empty()) {
            std::cout << kUsage;
            return 2;
        }
        std::string command = args[0];
        args.erase(args.begin());
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
