// The priority plugin from C++, through the test API, as any built-in fault:
// cluster.fault("priority.lower", ...) goes through the same door as a
// scenario's step and the CLI's `cluster NAME priority.lower 1`. Run with the
// plugin on the plugin path (ATOMIX_TEST_PLUGIN_PATH=build); exits 0 when
// every thread of node 1's process was at nice 19 (the declared default, which
// the door fills in) while the guard lived, and back where it began once it
// went.
#include <algorithm>
#include <atomixtest/testing.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

// The niceness of every thread of the process, from /proc/PID/task/TID/stat
// (field 19, after the command name in parentheses).
std::vector<int> thread_niceness(int pid) {
    std::vector<int> niceness;
    std::error_code error;
    auto tasks = std::filesystem::path("/proc") / std::to_string(pid) / "task";
    for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
        std::ifstream in(task.path() / "stat");
        std::stringstream text;
        text << in.rdbuf();
        auto line = text.str();
        std::istringstream fields(line.substr(line.rfind(')') + 1));
        std::string field;
        for (int index = 3; index <= 19 && fields >> field; ++index) {
            if (index == 19) niceness.push_back(std::stoi(field));
        }
    }
    return niceness;
}

bool all_at(const std::vector<int>& niceness, int nice) {
    return !niceness.empty() &&
           std::all_of(niceness.begin(), niceness.end(), [&](int each) { return each == nice; });
}

}  // namespace

int main() {
    atomixtest::ClusterOptions options;  // as {.nodes = 3}, without GCC 12's -Wextra warning
    options.nodes = 3;
    auto cluster = atomixtest::create_cluster("etcd", options);
    int pid = 0;
    int began_at = 0;
    {
        auto lowered = cluster.fault("priority.lower", {{"node", 1}});
        std::cout << "in force: " << lowered.description() << "\n";
        // The plugin's own account (cluster NAME faults) names the node's
        // process; its threads' niceness is read here, from the kernel.
        auto faults = cluster.faults();
        if (faults.size() != 1 || faults[0].value("node", 0) != 1) {
            std::cerr << "node 1 alone should be lowered: " << faults.dump() << "\n";
            return 1;
        }
        pid = faults[0].value("pid", 0);
        began_at = faults[0].value("began_at", 0);
        auto niceness = thread_niceness(pid);
        if (!all_at(niceness, 19)) {
            std::cerr << "a thread of node 1 (pid " << pid << ") is not at nice 19\n";
            return 1;
        }
        std::cout << "node 1: " << niceness.size() << " threads at nice 19\n";
    }
    if (!all_at(thread_niceness(pid), began_at) || !cluster.faults().empty()) {
        std::cerr << "node 1 is not back at nice " << began_at << " after the guard went\n";
        return 1;
    }
    std::cout << "node 1: back at nice " << began_at << "\n";
    try {
        auto never = cluster.fault("priority.lower", {{"node", 1}, {"nice", 20}});
        std::cerr << "nice 20 was accepted\n";
        return 1;
    } catch (const atomixtest::Error& error) {
        std::cout << "refused: " << error.what() << "\n";
    }
    return 0;
}
