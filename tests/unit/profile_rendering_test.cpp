// How a profile becomes one node's command and files: lists over the members,
// files rendered with the node's values, host paths found or named as missing.
#include <gtest/gtest.h>

#include <fstream>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest {
namespace {

Profile two_list_profile() {
    Profile profile;
    profile.name = "sample";
    profile.client_port = 5678;
    profile.lists["discovery"] = {R"({ id: "{name}", host: "{ip}" })", ", "};
    profile.lists["ids"] = {"\"{name}\"", ","};
    profile.files["atomix.conf"] =
        "nodes: [ {discovery} ]\nmembers: [{ids}]\nself: {name} in {cluster}, data {data_dir}\n";
    return profile;
}

TEST(ProfileRendering, ListsNameEveryMemberAndFilesSeeTheNodesValues) {
    auto profile = two_list_profile();
    NodeContext context{.cluster = "c",
                        .node = {2, "c-2", "10.0.0.12"},
                        .members = {{1, "c-1", "10.0.0.11"}, {2, "c-2", "10.0.0.12"}},
                        .data_dir = "/d",
                        .log_dir = "/l",
                        .conf_dir = "/conf"};
    auto values = node_template_values(profile, context);
    EXPECT_EQ(values["discovery"],
              R"({ id: "c-1", host: "10.0.0.11" }, { id: "c-2", host: "10.0.0.12" })");
    EXPECT_EQ(values["ids"], R"("c-1","c-2")");
    EXPECT_EQ(values["client_port"], "5678");
    EXPECT_EQ(values["cluster_state"], "new");
    auto files = render_files(profile, values);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files["atomix.conf"],
              "nodes: [ { id: \"c-1\", host: \"10.0.0.11\" }, { id: \"c-2\", host: "
              "\"10.0.0.12\" } ]\nmembers: [\"c-1\",\"c-2\"]\nself: c-2 in c, data /d\n");
}

TEST(ProfileRendering, AnUnknownValueInAFileIsNamed) {
    auto profile = two_list_profile();
    profile.files["bad.conf"] = "x: {nonesuch}";
    auto values = node_template_values(profile, {.cluster = "c", .node = {1, "c-1", "ip"}});
    try {
        render_files(profile, values);
        FAIL() << "rendered an unknown value";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_NE(std::string(error.what()).find("{nonesuch}"), std::string::npos);
    }
}

TEST(ProfileRendering, TheShippedAtomixProfilesParseWithTheirListsFilesAndHostPaths) {
    for (const char* name : {"consensus", "data-grid", "client"}) {
        auto profile = parse_profile(testing::profile_dir() / (std::string(name) + ".yaml"));
        EXPECT_EQ(profile.client, "atomix") << name;
        EXPECT_EQ(profile.files.count("atomix.conf"), 1u) << name;
        EXPECT_EQ(profile.lists.count("discovery_nodes"), 1u) << name;
        EXPECT_EQ(profile.host_paths.count("atomix_jars"), 1u) << name;
        EXPECT_FALSE(profile.ready.then.empty()) << name << ": ready asks a primitive too";
    }
    EXPECT_EQ(parse_profile(testing::profile_dir() / "client.yaml").type, NodeType::Client);
}

// A profile's `values` are template values, which a variant that extends it
// replaces: consensus passes Atomix's default read consistency to the agent,
// consensus-linearizable LINEARIZABLE, with the rest of consensus unchanged.
TEST(ProfileRendering, ProfileValuesReachTheCommandAndAVariantReplacesThem) {
    auto command_of = [](const std::string& name) {
        auto profile = parse_profile(testing::profile_dir() / (name + ".yaml"));
        profile.host_values = {{"java_home", "/j"}, {"atomix_jars", "/a"}, {"agent_jar", "/g"}};
        auto values = node_template_values(profile, {.cluster = "c", .node = {1, "c-1", "ip"}});
        std::vector<std::string> argv;
        for (const auto& arg : profile.command) argv.push_back(render_template(arg, values));
        return argv;
    };
    auto base = command_of("consensus");
    auto linearizable = command_of("consensus-linearizable");
    auto lease = command_of("consensus-lease");
    EXPECT_EQ(base.back(), "--read-consistency=default");
    EXPECT_EQ(linearizable.back(), "--read-consistency=LINEARIZABLE");
    EXPECT_EQ(lease.back(), "--read-consistency=LINEARIZABLE_LEASE");
    base.pop_back();
    linearizable.pop_back();
    EXPECT_EQ(base, linearizable) << "only the level differs";
    // The node's own values win over a profile's value of the same name.
    Profile profile = two_list_profile();
    profile.values = {{"name", "not-the-node"}, {"level", "x"}};
    auto values = node_template_values(profile, {.cluster = "c", .node = {1, "c-1", "ip"}});
    EXPECT_EQ(values["name"], "c-1");
    EXPECT_EQ(values["level"], "x");
}

TEST(HostPaths, AMissingFileNamesWhereItLookedAndTheHint) {
    auto profile = two_list_profile();
    profile.command = {"sh"};
    profile.host_paths["jars"] = {.file = "no-such-jars-1.0", .in = "cache", .hint = "fetch them"};
    setenv("ATOMIX_TEST_CACHE", "/nonexistent-cache", 1);
    try {
        resolve_host_paths(profile);
        FAIL() << "a missing path resolved";
    } catch (const Error& error) {
        std::string message = error.what();
        EXPECT_EQ(error.kind(), ErrorKind::Environment);
        EXPECT_NE(message.find("/nonexistent-cache/no-such-jars-1.0"), std::string::npos)
            << message;
        EXPECT_NE(message.find("fetch them"), std::string::npos) << message;
    }
    unsetenv("ATOMIX_TEST_CACHE");
}

TEST(HostPaths, AnExecutableResolvesThroughItsLinksAndUp) {
    auto profile = two_list_profile();
    profile.command = {"sh"};
    profile.host_paths["shell_dir"] = {.executable = "sh", .up = 1};
    resolve_host_paths(profile);
    auto dir = profile.host_values.at("shell_dir");
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / "dash") ||
                std::filesystem::exists(std::filesystem::path(dir) / "bash"))
        << dir;
}

}  // namespace
}  // namespace atomixtest

namespace atomixtest {
namespace {

TEST(ProfileExtends, AVariantIsItsBaseWithTheKeysItNames) {
    setenv("ATOMIX_TEST_PROFILE_PATH", testing::profile_dir().c_str(), 1);
    auto base = load_profile("etcd");
    auto variant = load_profile("etcd-serializable");
    EXPECT_EQ(variant.name, "etcd-serializable");
    EXPECT_EQ(variant.command, base.command);
    EXPECT_EQ(variant.client, "etcd");
    EXPECT_EQ(variant.join.path, base.join.path);
    EXPECT_TRUE(base.client_options.empty());
    EXPECT_EQ(variant.client_options.at("reads"), "serializable");
}

TEST(ProfileExtends, AnUnknownBaseIsNamed) {
    auto dir = std::filesystem::temp_directory_path() / "atomix-test-extends";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "orphan.yaml") << "extends: no-such-base\nname: orphan\n";
    setenv("ATOMIX_TEST_PROFILE_PATH", dir.c_str(), 1);
    try {
        load_profile("orphan");
        ADD_FAILURE() << "loaded a profile whose base does not exist";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("extends unknown profile 'no-such-base'"),
                  std::string::npos)
            << error.what();
    }
    unsetenv("ATOMIX_TEST_PROFILE_PATH");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest
