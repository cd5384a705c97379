// Ctrl-C in the middle of a scenario, with a partition in force: the run stops
// within seconds, exits 130, and leaves no cluster, process or namespace.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "atomixtest/interrupt.hpp"
#include "cli_harness.hpp"
#include "running_cli.hpp"

namespace atomixtest::testing {
namespace {

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

// Ctrl-C or SIGTERM while a local cluster is being set up (its namespaces made,
// its nodes starting): exit 130, and nothing of it left, its claim included.
TEST(Interrupt, CtrlCOrSigtermDuringALocalSetupRemovesWhatItMade) {
    for (int signal_number : {SIGINT, SIGTERM}) {
        auto cluster = unique_cluster(signal_number == SIGINT ? "int-setup" : "term-setup");
        auto running = start_cli({"cluster", cluster, "setup", "-c", "etcd", "-n", "3"});
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (namespaces_of(cluster).size() < 4 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        EXPECT_EQ(namespaces_of(cluster).size(), 4U) << "signalled before the network was made";
        kill(running.pid, signal_number);
        int status = 0;
        waitpid(running.pid, &status, 0);
        close(running.out);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == kInterruptedExit)
            << strsignal(signal_number) << ": " << status;
        EXPECT_TRUE(namespaces_of(cluster).empty()) << strsignal(signal_number);
        EXPECT_TRUE(processes_mentioning("/local/" + cluster).empty());
        EXPECT_FALSE(std::filesystem::exists(state_dir() / "local" / cluster));
        EXPECT_FALSE(std::filesystem::exists(state_dir() / "claims/local" / (cluster + ".json")));
    }
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
