// A real etcd cluster shared by every test of a suite: set up once before the
// first, torn down (leaving no namespace) after the last. Tests act on it
// through the CLI, as a user would.
#pragma once

#include <gtest/gtest.h>

#include "cli_harness.hpp"

namespace atomixtest::testing {

template <int Nodes>
class SharedEtcdCluster : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        suite_set_up().run({"cluster", name(), "setup", "-c", "etcd", "-n", std::to_string(Nodes)});
    }
    void SetUp() override { ASSERT_EQ(suite_set_up().failure, ""); }
    static SuiteSetUp& suite_set_up() {
        static SuiteSetUp outcome;
        return outcome;
    }
    static void TearDownTestSuite() {
        cli({"cluster", name(), "teardown"});
        EXPECT_TRUE(namespaces_of(name()).empty());
    }

    static const std::string& name() {
        static const std::string cluster = unique_cluster("it-" + std::to_string(Nodes) + "n");
        return cluster;
    }
    static std::string ns(int node) {
        return "/run/netns/atomix-test." + name() + "." + std::to_string(node);
    }
    // `atomix-test cluster NAME command...`, which must succeed.
    static void apply(const std::vector<std::string>& command) {
        std::vector<std::string> args = {"cluster", name()};
        args.insert(args.end(), command.begin(), command.end());
        auto result = cli(args);
        ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    }
};

}  // namespace atomixtest::testing
