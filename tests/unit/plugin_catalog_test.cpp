// `atomix-test plugins`: every built-in plugin with its verbs and their
// parameter schemas, from the sources the scenario validator uses; files that
// do not load are reported with the reason, not skipped.
#include "session/plugin_catalog.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "atomixtest/process.hpp"
#include "build_paths.hpp"

namespace atomixtest {
namespace {

const DescribedPlugin* find_plugin(const PluginCatalog& catalog, const std::string& name) {
    for (const auto& plugin : catalog.plugins) {
        if (plugin.listing.name == name) return &plugin;
    }
    return nullptr;
}

const VerbSpec* find_verb(const DescribedPlugin& plugin, const std::string& name) {
    for (const auto& verb : plugin.verbs) {
        if (verb.name == name) return &verb;
    }
    return nullptr;
}

std::string reason_for(const PluginCatalog& catalog, const std::string& file_name) {
    for (const auto& failure : catalog.failed) {
        if (failure.file.filename() == file_name) return failure.reason;
    }
    return "";
}

TEST(PluginCatalog, EveryBuiltInPluginAppearsWithItsVerbs) {
    Workspace workspace({testing::plugin_dir()});
    auto catalog = describe_plugins(workspace);
    EXPECT_TRUE(catalog.failed.empty()) << catalog.failed.front().reason;
    struct Expected {
        const char* name;
        PluginKind kind;
        const char* verb;
    };
    for (const auto& expected : {Expected{"local", PluginKind::Backend, "node.kill"},
                                 Expected{"docker", PluginKind::Backend, "node.add"},
                                 Expected{"net", PluginKind::Fault, "net.isolate"},
                                 Expected{"stress", PluginKind::Fault, "stress.start"},
                                 Expected{"etcd", PluginKind::Client, "map.put"},
                                 Expected{"atomix", PluginKind::Client, "lock.lock"}}) {
        const auto* plugin = find_plugin(catalog, expected.name);
        ASSERT_NE(plugin, nullptr) << expected.name;
        EXPECT_EQ(plugin->listing.kind, expected.kind) << expected.name;
        EXPECT_FALSE(plugin->listing.description.empty()) << expected.name;
        EXPECT_NE(find_verb(*plugin, expected.verb), nullptr) << expected.name;
    }
    // A client verb carries the params the engine adds to every client step.
    const auto* get = find_verb(*find_plugin(catalog, "etcd"), "map.get");
    ASSERT_NE(get, nullptr);
    EXPECT_TRUE(params_schema(*get)["properties"].contains("fails"));
    EXPECT_TRUE(find_verb(*find_plugin(catalog, "stress"), "stress.start")->scoped);
    auto engine = std::find_if(catalog.engine.begin(), catalog.engine.end(),
                               [](const VerbSpec& verb) { return verb.name == "linearizable"; });
    EXPECT_NE(engine, catalog.engine.end());
}

TEST(PluginCatalog, NetDelaySchemaHasItsParams) {
    Workspace workspace({testing::plugin_dir()});
    auto json = to_json(describe_plugins(workspace));
    nlohmann::json delay;
    for (const auto& plugin : json["plugins"]) {
        for (const auto& verb : plugin["verbs"]) {
            if (verb["name"] == "net.delay") delay = verb;
        }
    }
    ASSERT_FALSE(delay.is_null()) << json.dump();
    EXPECT_EQ(delay["scoped"], true);
    for (const char* param : {"node", "latency", "jitter", "correlation", "distribution"}) {
        EXPECT_TRUE(delay["params"]["properties"].contains(param)) << param << delay.dump();
    }
}

TEST(PluginCatalog, BrokenPluginsAreReportedWithTheirReason) {
    Workspace workspace({testing::fake_plugin_dir(), testing::plugin_dir()});
    auto catalog = describe_plugins(workspace);
    EXPECT_NE(find_plugin(catalog, "net"), nullptr) << "the good plugins are still listed";
    EXPECT_NE(reason_for(catalog, "atomixtest-fault-garbage.so").find("failed to load"),
              std::string::npos);
    EXPECT_NE(reason_for(catalog, "atomixtest-fault-wrong-abi.so").find("built for plugin ABI"),
              std::string::npos);
    EXPECT_NE(
        reason_for(catalog, "atomixtest-fault-no-descriptor.so").find("not an atomix-test plugin"),
        std::string::npos);
    EXPECT_NE(
        reason_for(catalog, "atomixtest-fault-misnamed.so").find("declares itself client 'other'"),
        std::string::npos);
}

ProcessResult plugins_cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        "env", "ATOMIX_TEST_PLUGIN_PATH=" + testing::fake_plugin_dir().string(),
        testing::cli_path().string(), "plugins"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process({.argv = argv, .timeout = std::chrono::seconds(60)});
}

TEST(PluginsCommand, JsonIsOneDocumentAndBrokenFilesGoToStderr) {
    auto result = plugins_cli({"--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    auto json = nlohmann::json::parse(result.out);
    EXPECT_GE(json["plugins"].size(), 6u);
    EXPECT_EQ(json["failed"].size(), 4u) << json["failed"].dump();
    EXPECT_NE(
        result.err.find("not loaded: plugin " +
                        (testing::fake_plugin_dir() / "atomixtest-fault-garbage.so").string() +
                        " failed to load"),
        std::string::npos)
        << result.err;
}

TEST(PluginsCommand, PlainOutputShowsVerbsAndParams) {
    auto result = plugins_cli({});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    for (const char* text : {"fault net:", "net.delay", "latency", "backend local:", "node.kill",
                             "client etcd:", "map.put", "[scoped", "engine"}) {
        EXPECT_NE(result.out.find(text), std::string::npos) << text << "\n" << result.out;
    }
}

}  // namespace
}  // namespace atomixtest
