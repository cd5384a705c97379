// Bad input to the CLI: a clear message, exit 2, and nothing created or left.
#include <gtest/gtest.h>
#include <unistd.h>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

bool nothing_of(const std::string& cluster) {
    return namespaces_of(cluster).empty() &&
           !std::filesystem::exists(state_dir() / "local" / cluster) &&
           processes_mentioning(cluster + "-").empty();
}

TEST(BadInput, UnknownProfile) {
    auto name = unique_cluster("bad-profile");
    auto result = cli({"cluster", name, "setup", "-c", "nonesuch"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("unknown profile 'nonesuch' (available: "), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("etcd"), std::string::npos) << result.err;
    EXPECT_TRUE(nothing_of(name));
}

TEST(BadInput, ZeroNodes) {
    auto name = unique_cluster("bad-zero");
    auto result = cli({"cluster", name, "setup", "-c", "etcd", "-n", "0"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--nodes must be between 1 and 240"), std::string::npos)
        << result.err;
    EXPECT_TRUE(nothing_of(name));
}

TEST(BadInput, InvalidClusterName) {
    auto result = cli({"cluster", "Bad/Name", "setup", "-c", "etcd"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("invalid cluster name"), std::string::npos) << result.err;
}

TEST(BadInput, UsageErrors) {
    EXPECT_EQ(cli({"cluster"}).exit_code, 2);
    EXPECT_EQ(cli({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(cli({"cluster", "x", "setup", "--bogus"}).exit_code, 2);
    EXPECT_EQ(cli({"cluster", "x", "kill"}).exit_code, 2) << "N is required";
    EXPECT_EQ(cli({"--help"}).exit_code, 0);
    EXPECT_EQ(cli({"cluster", "x", "setup", "--help"}).exit_code, 0);
    EXPECT_EQ(cli({"run", "--help"}).exit_code, 0);
}

TEST(BadInput, UnknownClusterOrNode) {
    auto missing = cli({"cluster", unique_cluster("nonesuch"), "nodes"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("no cluster named"), std::string::npos) << missing.err;

    auto name = unique_cluster("bad-node");
    ASSERT_EQ(cli({"cluster", name, "setup", "-c", "etcd", "-n", "3"}).exit_code, 0);
    for (auto command : {"kill", "isolate", "logs"}) {
        auto result = cli({"cluster", name, command, "7"});
        EXPECT_EQ(result.exit_code, 2) << command;
        EXPECT_NE(result.err.find("has no node 7 (its nodes: 1, 2, 3)"), std::string::npos)
            << command << ": " << result.err;
    }
    auto faults = nlohmann::json::parse(cli({"cluster", name, "faults", "--json"}).out);
    EXPECT_TRUE(faults.empty()) << "a refused fault leaves no rule";

    // The name is in use: refused, and the running cluster is untouched.
    auto again = cli({"cluster", name, "setup", "-c", "etcd", "-n", "3"});
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
    for (const auto& node : nodes_json(name)) EXPECT_EQ(node["status"], "running");

    EXPECT_EQ(cli({"cluster", name, "teardown"}).exit_code, 0);
    EXPECT_TRUE(nothing_of(name));
}

TEST(BadInput, NoPermissionForNamespaces) {
    // An unprivileged user (nobody) may not create network namespaces.
    auto state = std::filesystem::temp_directory_path() / unique_cluster("nobody-state");
    std::filesystem::create_directories(state);
    // The user's own state dir: one of another user's is refused outright.
    ASSERT_EQ(chown(state.c_str(), 65534, 65534), 0);
    auto name = unique_cluster("bad-perm");
    auto result =
        run_process({.argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                              "ATOMIX_TEST_STATE_DIR=" + state.string(), cli_path().string(),
                              "cluster", name, "setup", "-c", "etcd", "-n", "3"}});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("network namespaces"), std::string::npos) << result.err;
    EXPECT_TRUE(namespaces_of(name).empty());
    EXPECT_FALSE(std::filesystem::exists(state / "local" / name)) << "nothing left behind";
    std::filesystem::remove_all(state);
}

}  // namespace
}  // namespace atomixtest::testing
