// Groups and a rate on the docker backend: the rules and the tbf go into the
// sidecars' namespaces, and the same measurements as on the local backend
// see them (reachability between the containers, the bandwidth within 10%).
#include <gtest/gtest.h>

#include <iostream>

#include "docker_harness.hpp"
#include "reachability.hpp"
#include "throughput.hpp"

namespace atomixtest::testing {
namespace {

class DockerNet : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        suite_set_up().run(
            {"cluster", name(), "setup", "-c", "etcd", "-n", "3", "--backend", "docker"});
    }
    void SetUp() override { ASSERT_EQ(suite_set_up().failure, ""); }
    static SuiteSetUp& suite_set_up() {
        static SuiteSetUp outcome;
        return outcome;
    }
    static void TearDownTestSuite() {
        cli({"cluster", name(), "teardown"});
        EXPECT_TRUE(labelled_containers(name()).empty());
    }
    void TearDown() override {
        EXPECT_EQ(cli({"cluster", name(), "heal"}).exit_code, 0);
        EXPECT_EQ(cli({"cluster", name(), "restore"}).exit_code, 0);
    }
    static const std::string& name() {
        static const std::string cluster = unique_cluster("dknet");
        return cluster;
    }
    static std::string netns(int node) { return docker_node_netns(name(), node); }
};

TEST_F(DockerNet, GroupsThroughTheSidecars) {
    auto result = cli({"cluster", name(), "partition", "--groups", "1,2/2,3"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("probes dropped on 2 cut pairs"), std::string::npos) << result.out;
    EXPECT_EQ(measure_reachability(name(), [](int node) { return netns(node); }),
              all_but(3, cut_between({1}, {3})));
}

TEST_F(DockerNet, RateThroughTheSidecarsWithinTenPercent) {
    auto result = cli({"cluster", name(), "rate", "1", "--rate", "1mbit", "--latency", "3s"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    auto measured = measure_throughput(netns(1), netns(2), node_ip(name(), 2),
                                       int64_t{32} * 1024 + 125'000, int64_t{32} * 1024);
    std::cout << "docker tbf, asked 1mbit: measured " << measured.bits_per_second / 1e6
              << " mbit/s\n";
    EXPECT_NEAR(measured.bits_per_second, 1e6, 1e5)
        << measured.arrived << " bytes in " << measured.seconds << " s";
}

}  // namespace
}  // namespace atomixtest::testing
