// atomixtest-node-clock: the clock fault done on a node's own machine, for
// nodes this process cannot enter (a pod on another machine, reached through
// the node agent by Backend::run_in_nodes). The node is the process the
// agent names in ATOMIXTEST_NODE_PID and its descendants; its strobe daemon
// is this program's `strobe`, started detached in the node's network
// namespace, and found there again.
//
//   read                       {"clock": RECORD or null, "strobing": BOOL}
//   change NODE CHANGE_JSON    ends the node's strobe, changes its clock
//                              (clock_change.hpp): {"seen": TEXT, "targets": [...]}
//   reset                      ends the node's strobe, puts its clock back: {"reset": N}
//   strobe SPEC_JSON           the strobe's loop (strobe_loop.hpp)
//   watch WITHIN_NS [PID SELECTOR]
//                              prints the strobe daemon's pid; given a target,
//                              exits 1 unless its selector flips within WITHIN_NS
//
// Exit 3: what was asked was not seen in the node (Unavailable); 4: the node
// cannot be changed (Environment); 2: usage.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/netns.hpp"
#include "clock_change.hpp"
#include "node_change.hpp"
#include "node_clock.hpp"
#include "node_clock_tool.hpp"
#include "strobe.hpp"
#include "strobe_loop.hpp"

namespace atomixtest::clock {

namespace {

std::vector<pid_t> node_processes() {
    const char* main = std::getenv("ATOMIXTEST_NODE_PID");
    return main ? process_tree(std::atoi(main)) : std::vector<pid_t>{};
}

// This program's `strobe` processes in this network namespace: the node's.
std::vector<pid_t> node_strobes() {
    std::vector<pid_t> found;
    for (int pid : processes_in_network_namespace("/proc/self/ns/net")) {
        auto argv = argv_of(pid);
        if (pid != getpid() && argv.size() == 3 && argv[1] == "strobe" &&
            std::filesystem::path(argv[0]).filename() == kNodeClockProgram) {
            found.push_back(pid);
        }
    }
    return found;
}

int read_clock() {
    auto clock = node_clock(node_processes());
    nlohmann::json out = {{"clock", nullptr}, {"strobing", !node_strobes().empty()}};
    if (clock) out["clock"] = record_of(clock->data);
    std::cout << out.dump() << "\n";
    return 0;
}

int change(int node, const std::string& change_json) {
    stop_strobes(node_strobes());
    auto done = change_node(node, node_processes(), nlohmann::json::parse(change_json));
    std::cout << nlohmann::json{{"seen", done.seen}, {"targets", targets_json(done.targets)}}.dump()
              << "\n";
    return 0;
}

int reset() {
    stop_strobes(node_strobes());
    auto processes = node_processes();
    int reset = reset_node_clock(processes);
    if (node_clock(processes)) {
        throw Error(ErrorKind::Unavailable, "the clock could not be put back");
    }
    std::cout << nlohmann::json{{"reset", reset}}.dump() << "\n";
    return 0;
}

int watch(const std::vector<std::string>& args) {
    auto within = std::chrono::nanoseconds(std::stoll(args.at(0)));
    // Started detached just before: it may not be listed at once.
    std::vector<pid_t> daemons;
    for (int attempt = 0; attempt < 100 && daemons.empty(); ++attempt) {
        daemons = node_strobes();
        if (daemons.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (daemons.empty()) throw Error(ErrorKind::Unavailable, "no strobe daemon runs in the node");
    std::cout << daemons.front() << "\n";
    if (args.size() < 3) return 0;
    StrobeTarget target{std::stoi(args.at(1)), std::stoull(args.at(2))};
    return seen_flipping(target, within) ? 0 : 1;
}

int run(const std::vector<std::string>& args) {
    if (args.size() == 1 && args[0] == "read") return read_clock();
    if (args.size() == 3 && args[0] == "change") return change(std::stoi(args[1]), args[2]);
    if (args.size() == 1 && args[0] == "reset") return reset();
    if (args.size() == 2 && args[0] == "strobe") return run_strobe(nlohmann::json::parse(args[1]));
    if ((args.size() == 2 || args.size() == 4) && args[0] == "watch") {
        return watch({args.begin() + 1, args.end()});
    }
    std::cerr << "usage: " << kNodeClockProgram
              << " read | change NODE CHANGE_JSON | reset | strobe SPEC_JSON | "
                 "watch WITHIN_NS [PID SELECTOR]\n";
    return 2;
}

}  // namespace

}  // namespace atomixtest::clock

int main(int argc, char** argv) {
    try {
        return atomixtest::clock::run({argv + 1, argv + argc});
    } catch (const atomixtest::Error& error) {
        std::cerr << error.what() << "\n";
        return error.kind() == atomixtest::ErrorKind::Unavailable
                   ? atomixtest::clock::kNodeClockNotSeen
                   : atomixtest::clock::kNodeClockCannot;
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return atomixtest::clock::kNodeClockCannot;
    }
}
