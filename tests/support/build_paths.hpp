// Where the build put what the tests exercise. The paths are compiled in (see
// tests/CMakeLists.txt) so a test binary run by hand behaves as under ctest.
#pragma once

#include <filesystem>

namespace atomixtest::testing {

inline std::filesystem::path cli_path() {
    return ATOMIXTEST_TEST_CLI;
}
inline std::filesystem::path source_dir() {
    return ATOMIXTEST_TEST_SOURCE_DIR;
}
inline std::filesystem::path build_dir() {
    return ATOMIXTEST_TEST_BUILD_DIR;
}
inline std::filesystem::path plugin_dir() {
    return ATOMIXTEST_TEST_PLUGIN_DIR;
}
inline std::filesystem::path profile_dir() {
    return ATOMIXTEST_TEST_PROFILE_DIR;
}
inline std::filesystem::path schema_dir() {
    return ATOMIXTEST_TEST_SCHEMA_DIR;
}
// Plugins built broken on purpose, kept out of the real plugin dir.
inline std::filesystem::path fake_plugin_dir() {
    return ATOMIXTEST_TEST_FAKE_PLUGIN_DIR;
}

// A fake fault plugin that throws std::exceptions, alone in its directory.
inline std::filesystem::path throwing_plugin_dir() {
    return ATOMIXTEST_TEST_THROWING_PLUGIN_DIR;
}

}  // namespace atomixtest::testing
