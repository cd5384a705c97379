#include <signal.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest::cli {

namespace {

void on_signal(int) {
    request_interrupt();
}

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
        std::cout << usage_text();
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
            std::cout << usage_text();
            return 2;
        }
        std::string command = args[0];
        args.erase(args.begin());
        if (const auto* entry = find_command(command)) return entry->run(args);
        std::cerr << "atomix-test: unknown command '" << command << "'\n\n" << usage_text();
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
