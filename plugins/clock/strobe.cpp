#include "strobe.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/process_tag.hpp"
#include "node_clock.hpp"
#include "stopped_process.hpp"

namespace atomixtest::clock {

namespace {

constexpr const char* kDaemonName = "atomixtest-clock-strobe";

}  // namespace

nlohmann::json strobe_spec(int node, std::chrono::nanoseconds period,
                           std::chrono::nanoseconds duration,
                           const std::vector<StrobeTarget>& targets) {
    nlohmann::json spec = {{"node", node},
                           {"period_ns", period.count()},
                           {"duration_ns", duration.count()},
                           {"targets", nlohmann::json::array()}};
    for (const auto& target : targets) {
        spec["targets"].push_back({{"pid", target.pid}, {"selector", target.selector}});
    }
    return spec;
}

pid_t start_strobe(const std::string& cluster, int node, std::chrono::nanoseconds period,
                   std::chrono::nanoseconds duration, const std::vector<StrobeTarget>& targets) {
    auto text = strobe_spec(node, period, duration, targets).dump();
    auto executable = plugin_program(kDaemonName);
    auto environment = tagged_environment(cluster);
    auto envp = environment_pointers(environment);
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0)
        throw environment_error(std::string("pipe: ") + strerror(errno));
    pid_t first = fork();
    if (first < 0) {
        close(ready[0]);
        close(ready[1]);
        throw environment_error(std::string("fork: ") + strerror(errno));
    }
    if (first == 0) {
        // Its own session, and reparented away: it outlives this command.
        if (setsid() < 0) _exit(1);
        if (fork() != 0) _exit(0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(ready[1], 1);
        dup2(null, 2);
        const char* argv[] = {executable.c_str(), text.c_str(), nullptr};
        execve(executable.c_str(), const_cast<char* const*>(argv), envp.data());
        _exit(127);
    }
    close(ready[1]);
    waitpid(first, nullptr, 0);
    std::string said;
    char buffer[64];
    pollfd pfd{ready[0], POLLIN, 0};
    while (said.find('\n') == std::string::npos && poll(&pfd, 1, 3000) > 0) {
        ssize_t n = read(ready[0], buffer, sizeof buffer);
        if (n <= 0) break;
        said.append(buffer, static_cast<size_t>(n));
    }
    close(ready[0]);
    if (said.rfind("ready ", 0) != 0) {
        throw environment_error("the clock strobe daemon did not start for node " +
                                std::to_string(node));
    }
    return std::atoi(said.c_str() + 6);
}

bool seen_flipping(const StrobeTarget& target, std::chrono::nanoseconds within) {
    ProcessMemory memory(target.pid);
    auto first = memory.read_as<uint8_t>(target.selector);
    auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::microseconds(500));
        if (memory.read_as<uint8_t>(target.selector) != first) return true;
    }
    return false;
}

std::map<int, std::vector<pid_t>> strobes_of(const std::string& cluster) {
    std::map<int, std::vector<pid_t>> found;
    for (const auto& process : tagged_processes()) {
        if (process.cluster != cluster || !process_running(process.pid)) continue;
        auto argv = argv_of(process.pid);
        if (argv.size() != 2 || std::filesystem::path(argv[0]).filename() != kDaemonName) continue;
        auto spec = nlohmann::json::parse(argv[1], nullptr, false);
        if (spec.is_object()) found[spec.value("node", 0)].push_back(process.pid);
    }
    return found;
}

void stop_strobes(const std::vector<pid_t>& daemons) {
    for (pid_t pid : daemons) kill(pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (pid_t pid : daemons) {
        while (process_running(pid) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        kill(pid, SIGKILL);
    }
}

}  // namespace atomixtest::clock
