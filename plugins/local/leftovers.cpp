#include "leftovers.hpp"

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "atomixtest/cgroup.hpp"
#include "atomixtest/error.hpp"
#include "cluster_state.hpp"
#include "mount/lazy_mount.hpp"
#include "namespaces.hpp"
#include "util/private_dir.hpp"

namespace atomixtest::local {

namespace fs = std::filesystem;

namespace {

fs::path marker_dir() {
    return "/run/atomix-test/local";
}

std::string our_root() {
    return fs::absolute(state_root()).lexically_normal().string();
}

// Whether what the machine holds for `cluster` is this state root's to judge:
// marked by it, or by a state root that no longer has the cluster. Unmarked
// namespaces are not the framework's as far as gc knows: left alone.
bool ours_to_judge(const std::string& cluster) {
    std::ifstream in(marker_dir() / cluster);
    std::string root;
    if (!std::getline(in, root)) return false;
    return root == our_root() || !fs::exists(fs::path(root) / "local" / cluster);
}

// "atomix-test.<cluster>.<node or bridge>": cluster names may hold dots.
std::string cluster_of_namespace(const std::string& netns) {
    auto rest = netns.substr(std::string(kNamespacePrefix).size());
    auto last_dot = rest.rfind('.');
    return last_dot == std::string::npos ? rest : rest.substr(0, last_dot);
}

}  // namespace

void mark_cluster_on_machine(const std::string& cluster) {
    // gc trusts what a marker says: only this user may write one.
    try {
        make_private_directories(marker_dir());
    } catch (const Error& error) {
        throw environment_error(std::string(error.what()) +
                                " (the local backend needs root, or CAP_SYS_ADMIN and "
                                "CAP_NET_ADMIN, to create network namespaces)");
    }
    std::ofstream marker(marker_dir() / cluster);
    if (!(marker << our_root() << "\n")) {
        throw environment_error("cannot write " + (marker_dir() / cluster).string() +
                                " (the local backend needs root, or CAP_SYS_ADMIN and "
                                "CAP_NET_ADMIN, to create network namespaces)");
    }
}

void unmark_cluster_on_machine(const std::string& cluster) {
    std::error_code ignored;
    fs::remove(marker_dir() / cluster, ignored);
}

std::vector<std::string> remove_local_leftovers(const std::vector<std::string>& keep,
                                                bool dry_run) {
    auto kept = [&keep](const std::string& cluster) {
        return std::find(keep.begin(), keep.end(), cluster) != keep.end() ||
               fs::exists(cluster_dir(cluster) / "cluster.json");
    };
    std::vector<std::string> found;

    // Lazy disks of clusters gone (their daemons killed by their tag: each
    // mount is left answering nothing), unmounted before their dirs go.
    for (const auto& mountpoint : disk::lazy_disk_mounts(state_root() / "local")) {
        auto relative = fs::path(mountpoint).lexically_relative(state_root() / "local");
        if (relative.empty() || kept(relative.begin()->string())) continue;
        found.push_back("lazy disk mount " + mountpoint);
        if (!dry_run) disk::unmount_lazy_disks(mountpoint);
    }

    // A state dir without cluster.json: a setup that died before writing it,
    // or a teardown that died while removing it.
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state_root() / "local", error)) {
        auto cluster = entry.path().filename().string();
        if (!entry.is_directory() || kept(cluster)) continue;
        found.push_back("state dir " + entry.path().string());
        if (!dry_run) fs::remove_all(entry.path(), error);
    }

    std::map<std::string, std::vector<std::string>> namespaces;
    for (const auto& netns : existing_namespaces(kNamespacePrefix)) {
        auto cluster = cluster_of_namespace(netns);
        if (!kept(cluster) && ours_to_judge(cluster)) namespaces[cluster].push_back(netns);
    }
    for (const auto& [cluster, names] : namespaces) {
        for (const auto& netns : names) {
            found.push_back("namespace " + netns);
            if (dry_run) continue;
            // Whatever still runs in it (a node, a netem daemon, stress-ng).
            for (int pid : pids_in_namespace(netns)) kill(pid, SIGKILL);
        }
        if (!dry_run) delete_namespaces(names);
    }

    for (const auto& cluster : clusters_with_cgroups()) {
        if (kept(cluster) || !ours_to_judge(cluster)) continue;
        found.push_back("cgroups atomix-test/" + cluster);
        if (!dry_run) remove_cluster_cgroups(cluster);
    }

    for (const auto& entry : fs::directory_iterator(marker_dir(), error)) {
        auto cluster = entry.path().filename().string();
        if (kept(cluster) || !ours_to_judge(cluster)) continue;
        if (!dry_run) fs::remove(entry.path(), error);
    }
    return found;
}

}  // namespace atomixtest::local
