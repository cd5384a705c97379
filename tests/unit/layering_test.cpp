// The core's folders are layers, and no folder includes one above it: the
// engine is reached from the CLI, never the other way; the session layer is
// what the engine, entropy, gc and the C++ API stand on. docs/architecture.md
// draws the same picture; this keeps the code to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "build_paths.hpp"

namespace atomixtest {
namespace {

namespace fs = std::filesystem;

// Lowest first. A folder may include its own layer's and lower layers' headers.
const std::map<std::string, int> kLayers = {
    {"util", 0},        {"sdk", 0},     {"history", 1}, {"profile", 1},
    {"plugin_host", 1}, {"check", 2},   {"txn", 2},     {"session", 3},
    {"scenario", 4},    {"results", 5}, {"report", 5},  {"entropy", 6},
    {"engine", 7},      {"gc", 7},      {"testing", 7}, {"cli", 8},
};

TEST(Layering, NoFolderIncludesOneAboveIt) {
    const std::regex include(R"re(#include "([a-z_]+)/[^"]+")re");
    std::vector<std::string> upward;
    for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() / "core")) {
        auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        auto folder = entry.path().parent_path().filename().string();
        auto layer = kLayers.find(folder);
        ASSERT_NE(layer, kLayers.end()) << "a folder without a layer: " << folder;
        std::ifstream in(entry.path());
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            std::smatch match;
            if (!std::regex_search(line, match, include)) continue;
            auto included = kLayers.find(match[1].str());
            if (included == kLayers.end()) continue;  // atomixtest/ (the SDK) and the like
            if (included->second > layer->second) {
                upward.push_back(entry.path().lexically_relative(testing::source_dir()).string() +
                                 ":" + std::to_string(number) + " includes " + match[1].str());
            }
        }
    }
    std::string list;
    for (const auto& each : upward) list += "\n  " + each;
    EXPECT_TRUE(upward.empty()) << "includes that point upward:" << list;
}

}  // namespace
}  // namespace atomixtest
