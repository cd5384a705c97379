// Ctrl-C in the middle of a scenario, with a partition in force: the run stops
// within seconds, exits 130, and leaves no cluster, process or namespace.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>

#include "atomixtest/interrupt.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

// Starts the CLI with its stdout on a pipe, for a test that must act while it runs.
struct RunningCli {
    pid_t pid = -1;
    int out = -1;
};

RunningCli start_cli(const std::vector<std::string>& args) {
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
bool wait_for_output(int fd, const std::string& text, std::string& seen,
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

TEST(Interrupt, CtrlCDuringAFaultUndoesItAndTearsTheClusterDown) {
    auto file = source_dir() / "tests/integration/data/interrupted.yaml";
    auto running = start_cli({"run", file.string()});
    std::string seen;
    if (!wait_for_output(running.out, "in force  net.isolate", seen, std::chrono::seconds(60))) {
        kill(running.pid, SIGINT);  // let it clean up before failing
        waitpid(running.pid, nullptr, 0);
        FAIL() << "the fault never came into force:\n" << seen;
    }
    auto cluster_line = seen.substr(seen.find("cluster interrupted-"));
    auto cluster = cluster_line.substr(8, cluster_line.find(' ', 8) - 8);
    ASSERT_FALSE(namespaces_of(cluster).empty()) << "the cluster is up while the fault is in force";

    auto interrupted_at = std::chrono::steady_clock::now();
    kill(running.pid, SIGINT);
    int status = 0;
    waitpid(running.pid, &status, 0);
    auto took = std::chrono::steady_clock::now() - interrupted_at;
    wait_for_output(running.out, "\n0 passed", seen, std::chrono::seconds(1));
    close(running.out);

    ASSERT_TRUE(WIFEXITED(status)) << seen;
    EXPECT_EQ(WEXITSTATUS(status), 130) << seen;
    EXPECT_LT(took, std::chrono::seconds(15)) << "the 120 s sleep is cut short";
    EXPECT_NE(seen.find("undo  net.unblock"), std::string::npos) << seen;
    EXPECT_NE(seen.find("FAIL interrupted"), std::string::npos) << seen;
    EXPECT_TRUE(namespaces_of(cluster).empty()) << cluster;
    EXPECT_TRUE(processes_mentioning("/local/" + cluster).empty()) << cluster;
    EXPECT_FALSE(std::filesystem::exists(state_dir() / "local" / cluster));
}

// Ctrl-C while a docker cluster is being set up: exit 130, nothing of it left.
TEST(Interrupt, CtrlCDuringADockerSetupRemovesWhatItMade) {
    auto cluster = unique_cluster("dk-int");
    auto running = start_cli({"cluster", cluster, "setup", "-c", "etcd", "--backend", "docker"});
    auto labelled = [&] {
        return run_process({.argv = {"docker", "ps", "-aq", "--filter",
                                     "label=io.atomix-test.cluster=" + cluster}})
            .out;
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (labelled().empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(running.pid, SIGINT);
    int status = 0;
    waitpid(running.pid, &status, 0);
    close(running.out);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == kInterruptedExit) << status;
    EXPECT_TRUE(labelled().empty()) << "containers left: " << labelled();
    EXPECT_TRUE(run_process({.argv = {"docker", "network", "ls", "-q", "--filter",
                                      "label=io.atomix-test.cluster=" + cluster}})
                    .out.empty());
}

}  // namespace
}  // namespace atomixtest::testing
