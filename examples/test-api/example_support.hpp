// What the examples check beside the API itself: the machine's own view of a
// cluster (its network namespaces), the CLI a user would type, and waiting
// for a cluster to settle after a fault.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

namespace examples {

// The local backend's namespaces of the cluster, as `ip netns list` shows them.
inline int namespaces_of(const std::string& cluster) {
    std::string command = "ip netns list | grep -c '^atomix-test\\." + cluster + "\\.'";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    int count = 0;
    if (std::fscanf(pipe, "%d", &count) != 1) count = -1;
    pclose(pipe);
    return count;
}

// `atomix-test ARGS` (the build's or the installed CLI); its exit code.
inline int atomix_test(const std::string& args) {
    std::string command = std::string(ATOMIXTEST_EXAMPLE_CLI) + " " + args + " >/dev/null";
    return std::system(command.c_str()) == 0 ? 0 : 1;
}

// Tries `attempt` until it returns true or `limit` passes: a member that was
// cut off needs a moment to rejoin before it serves again.
inline bool eventually(const std::function<bool()>& attempt,
                       std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        try {
            if (attempt()) return true;
        } catch (const std::exception&) {
            // not yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

template <typename Operation>
std::chrono::milliseconds time_of(Operation operation) {
    auto started = std::chrono::steady_clock::now();
    operation();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
}

}  // namespace examples
