// A test suite's own 3-node Kubernetes (scripts/kube), brought up once for
// the suite and down after it, and an etcd cluster of pods on it set up by
// the CLI with the given options: what the backend's and the node agent's
// suites share.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../integration/cli_harness.hpp"
#include "../integration/running_cli.hpp"
#include "atomixtest/process_tag.hpp"

namespace atomixtest::testing {

// The lazy disks' mounts on this machine whose mountinfo line holds `where`
// (a cluster's state dir, a namespace's node dirs).
inline std::vector<std::string> lazy_disk_mounts_at(const std::string& where) {
    std::vector<std::string> found;
    std::istringstream lines(read_file("/proc/self/mountinfo"));
    for (std::string line; std::getline(lines, line);) {
        if (line.find("fuse.atomixtest-disk") != std::string::npos &&
            line.find(where) != std::string::npos) {
            found.push_back(line);
        }
    }
    return found;
}

// On an etcd cluster of lazy disks: a write acknowledged through node 1,
// node 2 stopped (its pod deleted, its data dir kept), what its disk never
// synced lost, node 2 started again: etcd there still serves the write.
inline void expect_a_stopped_pods_power_loss_keeps_what_etcd_acknowledged(
    const std::string& cluster) {
    auto on = [&](std::vector<std::string> command) {
        command.insert(command.begin(), {"cluster", cluster});
        return cli(command, std::chrono::minutes(2));
    };
    int port1 = local_port(cluster, 1), port2 = local_port(cluster, 2);
    ASSERT_TRUE(write_succeeds(port1, "acknowledged", "kept", std::chrono::seconds(20)));
    ASSERT_EQ(on({"node.stop", "2"}).exit_code, 0);
    auto lost = on({"disk.lose_unfsynced", "2"});
    ASSERT_EQ(lost.exit_code, 0) << lost.out << lost.err;
    EXPECT_NE(lost.out.find("(verified: node 2: dropped "), std::string::npos) << lost.out;
    ASSERT_EQ(on({"node.start", "2"}).exit_code, 0);
    EXPECT_EQ(eventually_get(port2, "acknowledged", b64("kept")), b64("kept"));
}

class KubeSuite {
  public:
    explicit KubeSuite(std::string prefix)
        : kube_name_(prefix + std::to_string(getpid() % 100000)),
          cluster_(unique_cluster(prefix)) {}

    const std::string& kube_name() const { return kube_name_; }
    const std::string& cluster() const { return cluster_; }
    const std::string& registry() const { return registry_; }  // "" without one
    // Its CA (PEM) and a Docker config with its user and password.
    const std::string& registry_ca() const { return registry_ca_; }
    const std::string& registry_auth() const { return registry_auth_; }
    std::filesystem::path base() const { return state_dir() / "kube"; }
    std::filesystem::path kubeconfig() const { return base() / kube_name_ / "admin.kubeconfig"; }

    ProcessResult kube(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {"env", "ATOMIX_TEST_KUBE_DIR=" + base().string(),
                                         (source_dir() / "scripts/kube").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process({.argv = argv, .timeout = std::chrono::minutes(2)});
    }
    ProcessResult kubectl(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {"kubectl", "--name", kube_name_, "--"};
        argv.insert(argv.end(), args.begin(), args.end());
        return kube(argv);
    }

    // The Kubernetes, then the etcd cluster (`cli_prefix` before the CLI's
    // command: global options); a failure is kept for every test to report.
    // With a registry, the Kubernetes runs one and the cluster's images are
    // pushed there and pulled by the nodes, as on a real cluster.
    void up(const std::vector<std::string>& cli_prefix, bool with_registry = false) {
        std::vector<std::string> kube_up = {"up", "--nodes", "3", "--name", kube_name_};
        if (with_registry) kube_up.emplace_back("--registry");
        auto started = kube(kube_up);
        if (started.exit_code != 0) {
            set_up.failure = "scripts/kube up failed:\n" + started.out + started.err;
            return;
        }
        // The CLI, and the relay it starts, read the kubeconfig from here.
        setenv("ATOMIX_TEST_KUBECONFIG", kubeconfig().c_str(), 1);
        auto args = cli_prefix;
        if (with_registry) {
            auto said = [&](const char* what) {
                std::vector<std::string> asked = {"registry", "--name", kube_name_};
                if (*what) asked.emplace_back(what);
                auto out = kube(asked).out;
                while (!out.empty() && out.back() == '\n') out.pop_back();
                return out;
            };
            registry_ = said("");
            registry_ca_ = said("--ca");
            registry_auth_ = said("--auth");
            args.insert(args.end(), {"--registry", registry_, "--registry-ca", registry_ca_,
                                     "--registry-auth", registry_auth_});
        }
        for (const char* arg :
             {"cluster", "", "setup", "-c", "etcd", "-n", "3", "--backend", "kubernetes"}) {
            args.emplace_back(*arg ? arg : cluster_);
        }
        set_up.run(args);
    }

    // The cluster torn down, nothing of it left in Kubernetes nor on this
    // machine, then the Kubernetes.
    void down() {
        auto teardown = cli({"cluster", cluster_, "teardown"});
        EXPECT_EQ(teardown.exit_code, 0) << teardown.out << teardown.err;
        auto ns = kubectl({"get", "namespace", "atomix-test-" + cluster_});
        EXPECT_NE(ns.exit_code, 0) << ns.out;
        for (const auto& process : tagged_processes()) {
            EXPECT_NE(process.cluster, cluster_)
                << process.command << " (pid " << process.pid << ") is left";
        }
        unsetenv("ATOMIX_TEST_KUBECONFIG");
        kube({"down", "--name", kube_name_});
    }

    // An `entropy` run (global options first) killed with SIGKILL once it
    // has isolated a node: the name of the cluster it left, "" (and a test
    // failure) when it did not get that far.
    static std::string cluster_of_a_killed_entropy_run(const std::vector<std::string>& global,
                                                       const std::filesystem::path& results,
                                                       const std::string& profile = "etcd") {
        auto args = global;
        for (const char* arg :
             {"entropy", "--results", "", "--backend", "kubernetes", "-c", "", "-n", "3", "--ops",
              "10", "--run-time", "5m", "partition", "1s", "2s", "--isolate", "5m"}) {
            args.emplace_back(*arg ? arg : args.back() == "-c" ? profile : results.string());
        }
        auto running = start_cli(args);
        std::string seen;
        bool isolated =
            wait_for_output(running.out, "partition-isolate (node", seen, std::chrono::seconds(90));
        kill(running.pid, SIGKILL);
        waitpid(running.pid, nullptr, 0);
        close(running.out);
        auto at = seen.find("cluster entropy-");
        if (!isolated || at == std::string::npos) {
            ADD_FAILURE() << "the run did not isolate a node: " << seen;
            return "";
        }
        return seen.substr(at + 8, seen.find(' ', at + 8) - at - 8);
    }

    SuiteSetUp set_up;

  private:
    std::string kube_name_;
    std::string cluster_;
    std::string registry_;
    std::string registry_ca_;
    std::string registry_auth_;
};

}  // namespace atomixtest::testing
