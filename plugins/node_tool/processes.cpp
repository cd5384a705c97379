// Processes are found by what they are and where they run (the namespace),
// not by a pid file: that survives a crash of whoever started them, and an
// agent restarted meanwhile.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "atomixtest/netns.hpp"
#include "atomixtest/process.hpp"
#include "node_tool_commands.hpp"

namespace atomixtest::node_tool {

namespace {

struct Found {
    int pid = 0;
    std::string command;
};

std::vector<Found> named(const std::string& name) {
    std::vector<Found> found;
    for (int pid : processes_in_network_namespace("/proc/self/ns/net")) {
        if (pid == getpid()) continue;
        std::error_code error;
        auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
        if (error || exe.filename() != name) continue;
        std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto& c : text) c = c == '\0' ? ' ' : c;
        found.push_back({pid, text});
    }
    return found;
}

}  // namespace

int list_processes(const std::string& name) {
    for (const auto& process : named(name)) {
        std::cout << process.pid << " " << getpgid(process.pid) << " "
                  << process_cpu_ticks(process.pid) << " " << process.command << "\n";
    }
    return 0;
}

int kill_processes(const std::string& name) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < deadline) {
        auto found = named(name);
        if (found.empty()) return 0;
        for (const auto& process : found) {
            if (pid_t group = getpgid(process.pid); group > 1) kill(-group, SIGKILL);
            kill(process.pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::cerr << "processes named " << name << " would not end\n";
    return 1;
}

}  // namespace atomixtest::node_tool
