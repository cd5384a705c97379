// The docker backend's refusals: no engine, a socket it may not use, a name
// in use, an image that cannot be assembled. Each is exit 2 with the cause
// named, and leaves nothing created.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "docker_harness.hpp"

namespace atomixtest::testing {
namespace {

ProcessResult cli_with(const std::vector<std::string>& environment,
                       const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"env"};
    argv.insert(argv.end(), environment.begin(), environment.end());
    argv.push_back(cli_path().string());
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process({.argv = argv, .timeout = std::chrono::minutes(2)});
}

TEST(DockerBadInput, NoEngineAnsweringIsNamed) {
    auto result = cli_with({"DOCKER_HOST=unix:///nonexistent/docker.sock"},
                           {"cluster", "dk-none", "setup", "-c", "etcd", "--backend", "docker"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("no Docker engine answers at unix:///nonexistent/docker.sock"),
              std::string::npos)
        << result.err;
}

TEST(DockerBadInput, AnUnsupportedDockerHostIsRefused) {
    auto result = cli_with({"DOCKER_HOST=ssh://somewhere"},
                           {"cluster", "dk-ssh", "setup", "-c", "etcd", "--backend", "docker"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("only unix://"), std::string::npos) << result.err;
}

TEST(DockerBadInput, PermissionDeniedOnTheSocketIsNamed) {
    auto state = std::filesystem::temp_directory_path() / unique_cluster("dk-perm-state");
    std::filesystem::create_directories(state);
    // The user's own state dir: one of another user's is refused outright.
    ASSERT_EQ(chown(state.c_str(), 65534, 65534), 0);
    auto result =
        run_process({.argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                              "ATOMIX_TEST_STATE_DIR=" + state.string(), cli_path().string(),
                              "cluster", "dk-perm", "setup", "-c", "etcd", "--backend", "docker"}});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("permission denied on the Docker socket"), std::string::npos)
        << result.err;
    std::filesystem::remove_all(state);
}

TEST(DockerBadInput, ANameInUseIsRefusedAndTheExistingNetworkKept) {
    auto name = unique_cluster("dk-taken");
    ASSERT_EQ(docker({"network", "create", name}).exit_code, 0);
    auto result = cli({"cluster", name, "setup", "-c", "etcd", "--backend", "docker"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("in use"), std::string::npos) << result.err;
    EXPECT_EQ(docker_inspect(name, "{{.Name}}"), name) << "someone else's network is left alone";
    EXPECT_TRUE(labelled_containers(name).empty());
    docker({"network", "rm", name});
}

TEST(DockerBadInput, AnImageThatCannotBeAssembledLeavesNothing) {
    auto profiles = std::filesystem::temp_directory_path() / unique_cluster("dk-profiles");
    std::filesystem::create_directories(profiles);
    std::ofstream(profiles / "broken.yaml") << "name: broken\n"
                                               "client: etcd\n"
                                               "client_port: 2379\n"
                                               "command: [no-such-server]\n"
                                               "image:\n"
                                               "  host_files: [no-such-server]\n";
    auto name = unique_cluster("dk-broken");
    auto result = cli_with({"ATOMIX_TEST_PROFILE_PATH=" + profiles.string()},
                           {"cluster", name, "setup", "-c", "broken", "--backend", "docker"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("'no-such-server' is not an executable on PATH"), std::string::npos)
        << result.err;
    EXPECT_TRUE(labelled_networks(name).empty());
    EXPECT_TRUE(labelled_containers(name).empty());
    std::filesystem::remove_all(profiles);
}

TEST(DockerBadInput, AMalformedLimitIsRefusedBeforeAnythingIsMade) {
    auto name = unique_cluster("dk-limits");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--memory", "lots"}, {"--subnet", "10.89.300.0/24"}, {"--supernet", "10.0.0.0/8"}}) {
        std::vector<std::string> command = {"cluster", name,        "setup", "-c",
                                            "etcd",    "--backend", "docker"};
        command.insert(command.end(), args.begin(), args.end());
        auto result = cli(command);
        EXPECT_EQ(result.exit_code, 2) << args[0];
        EXPECT_NE(result.err.find(args[0] == "--memory" ? "--memory" : "invalid"),
                  std::string::npos)
            << result.err;
        EXPECT_TRUE(labelled_networks(name).empty()) << args[0];
    }
}

// The first route of this machine that is not the default one, as a /24
// (a.b.c.0/24), or "" when there is none.
std::string a_host_route_slash24() {
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line);
    while (std::getline(routes, line)) {
        std::istringstream fields(line);
        std::string interface, destination, gateway, flags, refs, use, metric, mask;
        fields >> interface >> destination >> gateway >> flags >> refs >> use >> metric >> mask;
        if (mask == "00000000" || interface.rfind("br-", 0) == 0) continue;
        auto address = static_cast<uint32_t>(std::stoul(destination, nullptr, 16));
        // Little-endian hex, as the kernel writes it on this machine.
        return std::to_string(address & 0xFF) + "." + std::to_string((address >> 8) & 0xFF) + "." +
               std::to_string((address >> 16) & 0xFF) + ".0/24";
    }
    return "";
}

TEST(DockerBadInput, ASubnetOverlappingARouteOfThisMachineIsRefused) {
    auto subnet = a_host_route_slash24();
    if (subnet.empty()) GTEST_SKIP() << "this machine has no route but the default one";
    auto name = unique_cluster("dk-overlap");
    auto result =
        cli({"cluster", name, "setup", "-c", "etcd", "--backend", "docker", "--subnet", subnet});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("overlaps this machine's route"), std::string::npos) << result.err;
    EXPECT_TRUE(labelled_networks(name).empty());
    EXPECT_TRUE(labelled_containers(name).empty());
    auto bytes = cli({"cluster", name, "setup", "-c", "etcd", "--backend", "docker", "--subnet",
                      "10.999.0.0/24"});
    EXPECT_EQ(bytes.exit_code, 2);
    EXPECT_NE(bytes.err.find("is not an address byte"), std::string::npos) << bytes.err;
}

}  // namespace
}  // namespace atomixtest::testing
