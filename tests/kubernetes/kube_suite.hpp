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
#include <string>
#include <vector>

#include "../integration/cli_harness.hpp"
#include "../integration/running_cli.hpp"
#include "atomixtest/process_tag.hpp"

namespace atomixtest::testing {

class KubeSuite {
  public:
    explicit KubeSuite(std::string prefix)
        : kube_name_(prefix + std::to_string(getpid() % 100000)),
          cluster_(unique_cluster(prefix)) {}

    const std::string& kube_name() const { return kube_name_; }
    const std::string& cluster() const { return cluster_; }
    const std::string& registry() const { return registry_; }  // "" without one
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
            registry_ = kube({"registry", "--name", kube_name_}).out;
            while (!registry_.empty() && registry_.back() == '\n') registry_.pop_back();
            args.insert(args.end(), {"--registry", registry_});
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
};

}  // namespace atomixtest::testing
