// Where the running executable lives, and colon-separated search paths from the
// environment: how the core finds plugins and profiles without a fixed prefix.
#pragma once

#include <filesystem>
#include <vector>

namespace atomixtest {

std::filesystem::path executable_dir();
std::vector<std::filesystem::path> paths_from_env(const char* variable);

}  // namespace atomixtest
