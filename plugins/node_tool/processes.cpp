// Processes are found by what they are and where they run (the namespace),
// not by a pid file: that survives a crash of whoever started them, and an
// agent restarted meanwhile.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "atomixtest/netns.hpp"
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

// utime + stime, fields 14 and 15 of /proc/PID/stat (after the command's
// parenthesis, which may hold spaces).
long cpu_ticks(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long ticks = 0;
    for (int index = 3; fields >> field && index <= 15; ++index) {
        if (index >= 14) ticks += std::stol(field);
    }
    return ticks;
}

}  // namespace

int list_processes(const std::string& name) {
    for (const auto& process : named(name)) {
        std::cout << process.pid << " " << getpgid(process.pid) << " " << cpu_ticks(process.pid)
                  << " " << process.command << "\n";
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
