#include "results/results_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

// Results are for reading by anyone on the machine, never for writing.
constexpr mode_t kResultsMode = 0755;

std::string utc_timestamp() {
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

[[noreturn]] void cannot_create(const fs::path& dir, const std::string& why) {
    throw environment_error("cannot create results directory " + dir.string() + ": " + why);
}

// mkdir -p with the results' mode, whatever the umask, for the parts it makes.
void make_results_directories(const fs::path& dir) {
    fs::path built;
    for (const auto& part : fs::absolute(dir).lexically_normal()) {
        built /= part;
        if (::mkdir(built.c_str(), kResultsMode) == 0) {
            ::chmod(built.c_str(), kResultsMode);
        } else if (errno != EEXIST) {
            cannot_create(dir, strerror(errno));
        }
    }
    if (!fs::is_directory(dir)) cannot_create(dir, "it exists and is not a directory");
}

}  // namespace

void ensure_writable_dir(const fs::path& dir) {
    make_results_directories(dir);
    // Root passes access(W_OK) on a read-only mode; a file actually made is
    // the only answer that holds for root, a read-only mount and a full disk.
    auto probe = dir / (".atomix-test-probe." + std::to_string(getpid()));
    {
        std::ofstream out(probe);
        if (!(out << "probe\n") || !out.flush()) {
            std::error_code ignored;
            fs::remove(probe, ignored);
            throw environment_error("cannot write in " + dir.string() + ": " + strerror(errno));
        }
    }
    std::error_code ignored;
    fs::remove(probe, ignored);
}

fs::path make_results_dir(const fs::path& requested, const std::string& label) {
    if (!requested.empty()) {
        ensure_writable_dir(requested);
        return requested;
    }
    fs::path parent = "results";
    make_results_directories(parent);
    auto base = utc_timestamp() + "-" + label;
    // mkdir is the test: of two runs started in the same second, each gets a
    // directory of its own (the loser of a race takes the next suffix).
    fs::path dir = parent / base;
    for (int n = 2; ::mkdir(dir.c_str(), kResultsMode) != 0; ++n) {
        if (errno != EEXIST) cannot_create(dir, strerror(errno));
        if (n > 1000) cannot_create(dir, "too many runs with the same name in one second");
        dir = parent / (base + "-" + std::to_string(n));
    }
    ::chmod(dir.c_str(), kResultsMode);
    ensure_writable_dir(dir);
    // results/latest: a convenience only, replaced atomically.
    std::error_code error;
    auto temporary = parent / (".latest." + std::to_string(getpid()));
    fs::remove(temporary, error);
    fs::create_directory_symlink(dir.filename(), temporary, error);
    if (!error) fs::rename(temporary, parent / "latest", error);
    return dir;
}

void save_node_logs(Backend& backend, const std::string& cluster, const fs::path& dir,
                    std::ostream& warnings) {
    try {
        make_results_directories(dir);
        for (const auto& node : backend.describe(cluster).nodes) {
            std::ofstream(dir / ("node-" + std::to_string(node.id) + ".log"))
                << backend.logs(cluster, node.id);
        }
    } catch (const std::exception& error) {
        warnings << "warning: node logs: " << error.what() << "\n";
    }
}

void write_json_file(const fs::path& file, const nlohmann::json& json) {
    std::ofstream out(file);
    out << json.dump(2) << "\n";
    if (!out) throw environment_error("cannot write " + file.string());
}

}  // namespace atomixtest
