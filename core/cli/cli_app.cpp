#include <signal.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <map>

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
        // Options of every command, before the command's name. Which
        // Kubernetes the kubernetes backend (and the relays it starts) uses
        // travels in the environment, as KUBECONFIG does.
        static const std::map<std::string, std::function<void(const std::string&)>> global = {
            {"--profiles", [](const std::string& dir) { add_profile_directory(dir); }},
            {"--kubeconfig",
             [](const std::string& file) { setenv("ATOMIX_TEST_KUBECONFIG", file.c_str(), 1); }},
            {"--context",
             [](const std::string& name) { setenv("ATOMIX_TEST_KUBE_CONTEXT", name.c_str(), 1); }},
            {"--registry",
             [](const std::string& registry) {
                 setenv("ATOMIX_TEST_KUBE_REGISTRY", registry.c_str(), 1);
             }},
            {"--registry-ca",
             [](const std::string& file) {
                 setenv("ATOMIX_TEST_KUBE_REGISTRY_CA", file.c_str(), 1);
             }},
            {"--registry-auth",
             [](const std::string& file) {
                 setenv("ATOMIX_TEST_KUBE_REGISTRY_AUTH", file.c_str(), 1);
             }},
        };
        while (!args.empty() && args[0].rfind("--", 0) == 0) {
            if (args[0] == "--node-agent") {
                // A flag: the clusters it sets up take their faults through
                // the node agent even where this machine could enter the pods.
                setenv("ATOMIX_TEST_KUBE_NODE_AGENT", "1", 1);
                args.erase(args.begin());
                continue;
            }
            auto equals = args[0].find('=');
            auto option = global.find(args[0].substr(0, equals));
            if (option == global.end()) break;
            if (equals != std::string::npos && equals + 1 < args[0].size()) {
                option->second(args[0].substr(equals + 1));
                args.erase(args.begin());
            } else if (equals == std::string::npos && args.size() > 1) {
                option->second(args[1]);
                args.erase(args.begin(), args.begin() + 2);
            } else {
                throw bad_input(option->first + " needs a value");
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
