// Finding what a profile needs on this machine: a JDK, jars fetched by
// scripts/setup, jars built with the framework. The command's own program is
// the backend's to check: on docker it may live only in the image.
#include <unistd.h>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"
#include "profile/profile_loader.hpp"
#include "util/paths.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

fs::path cache_root() {
    if (const char* dir = std::getenv("ATOMIX_TEST_CACHE"); dir && *dir) return dir;
    if (geteuid() == 0) return "/var/cache/atomix-test";
    const char* home = std::getenv("HOME");
    return fs::path(home ? home : "/tmp") / ".cache/atomix-test";
}

std::vector<fs::path> places(const std::string& in) {
    if (in == "cache") return {cache_root()};
    return search_path("ATOMIX_TEST_JAVA_PATH", "java", "share/atomix-test/java");
}

std::string missing(const Profile& profile, const std::string& name, const HostPath& path,
                    const std::string& looked) {
    return "profile " + profile.name + " needs " + name + " (" + looked + "), which is missing" +
           (path.hint.empty() ? "" : ": " + path.hint);
}

std::string resolve(const Profile& profile, const std::string& name, const HostPath& path) {
    if (!path.executable.empty()) {
        auto found = find_executable(path.executable);
        if (found.empty()) {
            throw environment_error(
                missing(profile, name, path, "'" + path.executable + "' on PATH"));
        }
        auto resolved = fs::canonical(found);
        for (int i = 0; i < path.up; ++i) resolved = resolved.parent_path();
        return resolved.string();
    }
    std::string looked;
    for (const auto& dir : places(path.in)) {
        if (fs::exists(dir / path.file)) return fs::absolute(dir / path.file).string();
        looked += (looked.empty() ? "" : ", ") + (dir / path.file).string();
    }
    throw environment_error(missing(profile, name, path, "looked for " + looked));
}

}  // namespace

void resolve_host_paths(Profile& profile) {
    for (const auto& [name, path] : profile.host_paths) {
        profile.host_values[name] = resolve(profile, name, path);
    }
}

Profile load_profile_to_start(const std::string& name) {
    auto profile = load_profile(name);
    resolve_host_paths(profile);
    return profile;
}

}  // namespace atomixtest
