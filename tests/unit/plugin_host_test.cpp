// The plugin host: real plugins load by kind and name; broken ones are refused
// with the file and the reason.
#include "plugin_host/plugin_host.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"

namespace atomixtest {
namespace {

std::string load_error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

TEST(PluginHost, LoadsRealPluginsByKindAndName) {
    PluginHost host({testing::plugin_dir()});
    EXPECT_NE(host.backend("local"), nullptr);
    auto net = host.fault("net");
    ASSERT_NE(net, nullptr);
    std::vector<std::string> verbs;
    for (const auto& verb : net->verbs()) verbs.push_back(verb.name);
    EXPECT_NE(std::find(verbs.begin(), verbs.end(), "isolate"), verbs.end());
    EXPECT_EQ(host.fault("net"), net) << "one instance per plugin";
    auto listing = host.available();
    EXPECT_GE(listing.size(), 3u);
}

TEST(PluginHost, MissingPluginNamesWhereItLookedAndWhatExists) {
    PluginHost host({testing::plugin_dir()});
    auto message = load_error_of([&] { host.fault("nonesuch"); });
    EXPECT_NE(message.find("no fault plugin named 'nonesuch'"), std::string::npos) << message;
    EXPECT_NE(message.find("atomixtest-fault-nonesuch.so"), std::string::npos) << message;
    auto available = message.substr(message.find("available: "));
    for (const char* plugin : {"net", "stress"}) {
        EXPECT_NE(available.find(plugin), std::string::npos) << message;
    }
}

TEST(PluginHost, WrongAbiVersionIsRefused) {
    PluginHost host({testing::fake_plugin_dir()});
    auto message = load_error_of([&] { host.fault("wrong-abi"); });
    EXPECT_NE(message.find("atomixtest-fault-wrong-abi.so"), std::string::npos) << message;
    EXPECT_NE(message.find("built for plugin ABI " + std::to_string(kPluginAbiVersion + 100)),
              std::string::npos)
        << message;
}

TEST(PluginHost, LibraryThatFailsToLoadIsNamedWithTheReason) {
    PluginHost host({testing::fake_plugin_dir()});
    auto message = load_error_of([&] { host.fault("garbage"); });
    EXPECT_NE(message.find("atomixtest-fault-garbage.so failed to load"), std::string::npos)
        << message;
}

TEST(PluginHost, LibraryWithoutDescriptorIsNotAPlugin) {
    PluginHost host({testing::fake_plugin_dir()});
    auto message = load_error_of([&] { host.fault("no-descriptor"); });
    EXPECT_NE(message.find("is not an atomix-test plugin"), std::string::npos) << message;
}

TEST(PluginHost, PluginDeclaringAnotherKindOrNameIsRefused) {
    PluginHost host({testing::fake_plugin_dir()});
    auto message = load_error_of([&] { host.fault("misnamed"); });
    EXPECT_NE(message.find("declares itself client 'other', expected fault 'misnamed'"),
              std::string::npos)
        << message;
}

}  // namespace
}  // namespace atomixtest
