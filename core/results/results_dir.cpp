#include "results/results_dir.hpp"

#include <chrono>
#include <ctime>
#include <fstream>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

std::string utc_timestamp() {
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

}  // namespace

fs::path make_results_dir(const fs::path& requested, const std::string& label) {
    std::error_code error;
    if (!requested.empty()) {
        fs::create_directories(requested, error);
        if (error) {
            throw environment_error("cannot create results directory " + requested.string() + ": " +
                                    error.message());
        }
        return requested;
    }
    fs::path parent = "results";
    auto base = utc_timestamp() + "-" + label;
    auto dir = parent / base;
    // Two runs in the same second get their own directories.
    for (int n = 2; fs::exists(dir); ++n) dir = parent / (base + "-" + std::to_string(n));
    fs::create_directories(dir, error);
    if (error) {
        throw environment_error("cannot create results directory " + dir.string() + ": " +
                                error.message());
    }
    auto latest = parent / "latest";
    fs::remove(latest, error);
    fs::create_directory_symlink(dir.filename(), latest, error);  // a convenience only
    return dir;
}

void save_node_logs(Backend& backend, const std::string& cluster, const fs::path& dir,
                    std::ostream& warnings) {
    try {
        fs::create_directories(dir);
        for (const auto& node : backend.describe(cluster).nodes) {
            std::ofstream(dir / ("node-" + std::to_string(node.id) + ".log"))
                << backend.logs(cluster, node.id);
        }
    } catch (const Error& error) {
        warnings << "warning: node logs: " << error.what() << "\n";
    }
}

void write_json_file(const fs::path& file, const nlohmann::json& json) {
    std::ofstream out(file);
    out << json.dump(2) << "\n";
    if (!out) throw environment_error("cannot write " + file.string());
}

}  // namespace atomixtest
