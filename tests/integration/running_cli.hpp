// The CLI started in the background with its stdout on a pipe, for tests that
// must act while it runs (Ctrl-C at a chosen moment).
#pragma once

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_harness.hpp"

namespace atomixtest::testing {

// Starts the CLI with its stdout on a pipe, for a test that must act while it runs.
struct RunningCli {
    pid_t pid = -1;
    int out = -1;
};

inline RunningCli start_cli(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> argv;
        auto cli = cli_path().string();
        argv.push_back(cli.data());
        std::vector<std::string> copy = args;
        for (auto& arg : copy) argv.push_back(arg.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    return {pid, fds[0]};
}

// Reads the CLI's output until it contains text or the time is up.
inline bool wait_for_output(int fd, const std::string& text, std::string& seen,
                            std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < deadline) {
        if (seen.find(text) != std::string::npos) return true;
        pollfd pfd{fd, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0) continue;
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) return seen.find(text) != std::string::npos;
        seen.append(buffer, static_cast<size_t>(n));
    }
    return false;
}

}  // namespace atomixtest::testing
