#include "util/paths.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

namespace atomixtest {

std::filesystem::path executable_dir() {
    std::error_code error;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::current_path() : exe.parent_path();
}

std::vector<std::filesystem::path> paths_from_env(const char* variable) {
    std::vector<std::filesystem::path> paths;
    const char* value = std::getenv(variable);
    if (!value) return paths;
    std::stringstream list(value);
    for (std::string entry; std::getline(list, entry, ':');) {
        if (!entry.empty()) paths.emplace_back(entry);
    }
    return paths;
}

std::filesystem::path library_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&library_dir), &info) == 0 || !info.dli_fname) return {};
    std::error_code error;
    auto library = std::filesystem::canonical(info.dli_fname, error);
    return error ? std::filesystem::path() : library.parent_path();
}

std::vector<std::filesystem::path> search_path(const char* variable, const char* beside,
                                               const char* installed) {
    auto path = paths_from_env(variable);
    auto exe = executable_dir();
    path.push_back(exe / beside);
    path.push_back(exe.parent_path() / installed);
    // A program linking the library from elsewhere (a test built against the
    // SDK) finds what sits beside the library: the build tree's core/ is one
    // level below plugins/, the installed lib/ one below share/.
    if (auto lib = library_dir(); !lib.empty()) {
        for (const auto& candidate : {lib.parent_path() / beside, lib.parent_path() / installed}) {
            if (std::find(path.begin(), path.end(), candidate) == path.end()) {
                path.push_back(candidate);
            }
        }
    }
    return path;
}

std::filesystem::path state_root() {
    // Absolute and normal: the root is written into process tags and
    // machine-wide markers, which must name it the same way from any cwd.
    if (const char* dir = std::getenv("ATOMIX_TEST_STATE_DIR"); dir && *dir) {
        return std::filesystem::absolute(dir).lexically_normal();
    }
    if (geteuid() == 0) return "/var/lib/atomix-test";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : "/tmp") / ".local/state/atomix-test";
}

}  // namespace atomixtest
