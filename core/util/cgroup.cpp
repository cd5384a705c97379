#include "atomixtest/cgroup.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRoot = "/sys/fs/cgroup";
constexpr int64_t kCpuPeriodUs = 100000;

bool is_unified() {
    return fs::exists(fs::path(kRoot) / "cgroup.controllers");
}

// The caller's cgroup in a v1 tree: the line "N:controller,...:/path".
fs::path own_path(const std::string& controller) {
    std::ifstream in("/proc/self/cgroup");
    for (std::string line; std::getline(in, line);) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        auto controllers = line.substr(first + 1, second - first - 1);
        std::stringstream list(controllers);
        for (std::string each; std::getline(list, each, ',');) {
            if (each == controller) return fs::path(line.substr(second + 1)).relative_path();
        }
    }
    return {};
}

fs::path cluster_root(const fs::path& tree, const std::string& controller,
                      const std::string& cluster) {
    return tree / own_path(controller) / "atomix-test" / cluster;
}

void write(const fs::path& file, const std::string& value) {
    std::ofstream out(file);
    out << value;
    out.flush();
    if (!out) {
        throw environment_error("cannot write '" + value + "' to " + file.string() + ": " +
                                std::strerror(errno));
    }
}

// On v2 a group with processes cannot hand controllers down (the caller's own
// group has the caller), so the groups hang from the root, which may. On v1
// the freezer has a tree of its own (node.pause), used where it is mounted.
std::vector<fs::path> trees_of(const std::string& cluster, bool unified) {
    if (unified) return {fs::path(kRoot) / "atomix-test" / cluster};
    std::vector<fs::path> trees = {cluster_root(fs::path(kRoot) / "cpu", "cpu", cluster),
                                   cluster_root(fs::path(kRoot) / "memory", "memory", cluster)};
    if (fs::exists(fs::path(kRoot) / "freezer" / "cgroup.procs")) {
        trees.push_back(cluster_root(fs::path(kRoot) / "freezer", "freezer", cluster));
    }
    return trees;
}

// v1 writes FROZEN / THAWED to freezer.state; v2 writes 1 / 0 to cgroup.freeze.
fs::path freezer_file(const fs::path& dir) {
    if (fs::exists(dir / "freezer.state")) return dir / "freezer.state";
    if (fs::exists(dir / "cgroup.freeze")) return dir / "cgroup.freeze";
    return {};
}

std::vector<pid_t> pids_in(const fs::path& dir) {
    std::vector<pid_t> pids;
    std::ifstream in(dir / "cgroup.procs");
    for (pid_t pid; in >> pid;) pids.push_back(pid);
    return pids;
}

// Depth first: a cgroup goes once it has no children and no processes.
void remove_tree(const fs::path& dir) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) return;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        if (entry.is_directory()) remove_tree(entry.path());
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        for (pid_t pid : pids_in(dir)) kill(pid, SIGKILL);
        // A frozen process dies of SIGKILL only once thawed: a node paused
        // when its supervisor crashed would keep the group forever.
        if (has_freezer(dir)) {
            try {
                set_frozen(dir, false);
            } catch (const Error&) {
                // gone meanwhile; rmdir says
            }
        }
        if (rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

NodeCgroup::NodeCgroup(const std::string& cluster, int node) : unified_(is_unified()) {
    for (const auto& tree : trees_of(cluster, unified_)) {
        dirs_.push_back(tree / std::to_string(node));
    }
}

void NodeCgroup::create(const CgroupLimits& limits) const {
    for (const auto& dir : dirs_) {
        std::error_code error;
        fs::create_directories(dir, error);
        if (error) {
            throw environment_error("cannot create the cgroup " + dir.string() + ": " +
                                    error.message() + " (needs root and a writable cgroup tree)");
        }
    }
    if (unified_) {
        // Controllers are handed down level by level: root, atomix-test, cluster.
        for (const auto& level :
             {fs::path(kRoot), dirs_[0].parent_path().parent_path(), dirs_[0].parent_path()}) {
            write(level / "cgroup.subtree_control", "+cpu +memory");
        }
        if (limits.cpus > 0) {
            write(dirs_[0] / "cpu.max", std::to_string(std::llround(limits.cpus * kCpuPeriodUs)) +
                                            " " + std::to_string(kCpuPeriodUs));
        }
        if (limits.memory > 0) write(dirs_[0] / "memory.max", std::to_string(limits.memory));
        return;
    }
    if (limits.cpus > 0) {
        write(dirs_[0] / "cpu.cfs_period_us", std::to_string(kCpuPeriodUs));
        write(dirs_[0] / "cpu.cfs_quota_us",
              std::to_string(std::llround(limits.cpus * kCpuPeriodUs)));
    }
    if (limits.memory > 0) write(dirs_[1] / "memory.limit_in_bytes", std::to_string(limits.memory));
}

void NodeCgroup::add_process(pid_t pid) const {
    for (const auto& dir : dirs_) write(dir / "cgroup.procs", std::to_string(pid));
}

std::vector<pid_t> NodeCgroup::processes() const {
    return dirs_.empty() ? std::vector<pid_t>{} : pids_in(dirs_.front());
}

bool has_freezer(const fs::path& dir) {
    return !freezer_file(dir).empty();
}

void set_frozen(const fs::path& dir, bool frozen) {
    auto file = freezer_file(dir);
    if (file.empty()) throw environment_error(dir.string() + " has no freezer");
    bool v1 = file.filename() == "freezer.state";
    write(file, v1 ? (frozen ? "FROZEN" : "THAWED") : (frozen ? "1" : "0"));
}

// v1's state reads FREEZING until every task is frozen; v2 says `frozen 1` in
// cgroup.events once it is.
bool is_frozen(const fs::path& dir) {
    auto file = freezer_file(dir);
    if (file.empty()) return false;
    if (file.filename() == "freezer.state") {
        std::ifstream in(file);
        std::string state;
        in >> state;
        return state == "FROZEN";
    }
    std::ifstream in(dir / "cgroup.events");
    for (std::string key, value; in >> key >> value;) {
        if (key == "frozen") return value == "1";
    }
    return false;
}

std::vector<pid_t> processes_in(const fs::path& dir) {
    return pids_in(dir);
}

void NodeCgroup::remove() const {
    for (const auto& dir : dirs_) remove_tree(dir);
}

std::vector<fs::path> cgroup_procs_of(pid_t pid) {
    std::vector<fs::path> files;
    std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
    bool unified = is_unified();
    for (std::string line; std::getline(in, line);) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        auto controllers = line.substr(first + 1, second - first - 1);
        auto path = fs::path(line.substr(second + 1)).relative_path();
        if (unified && controllers.empty())
            files.push_back(fs::path(kRoot) / path / "cgroup.procs");
        if (unified) continue;
        std::stringstream list(controllers);
        for (std::string each; std::getline(list, each, ',');) {
            if (each == "cpu" || each == "memory") {
                files.push_back(fs::path(kRoot) / each / path / "cgroup.procs");
            }
        }
    }
    return files;
}

void remove_cluster_cgroups(const std::string& cluster) {
    for (const auto& tree : trees_of(cluster, is_unified())) {
        remove_tree(tree);
        rmdir(tree.parent_path().c_str());  // atomix-test/, once no cluster is left in it
    }
}

std::vector<std::string> clusters_with_cgroups() {
    std::vector<std::string> clusters;
    for (const auto& tree : trees_of("", is_unified())) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(tree, error)) {
            if (!entry.is_directory()) continue;
            auto name = entry.path().filename().string();
            if (std::find(clusters.begin(), clusters.end(), name) == clusters.end()) {
                clusters.push_back(name);
            }
        }
    }
    return clusters;
}

}  // namespace atomixtest
