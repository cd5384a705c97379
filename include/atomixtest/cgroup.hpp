// A node's control group, so that its CPU and memory can be limited and load
// put beside it (stress) competes for the same share. Works on the unified
// cgroup v2 tree and on the v1 layout of one tree per controller (hosts with
// the hybrid layout, such as this project's CI machines). Groups live under
// the caller's own cgroup: <own>/atomix-test/<cluster>/<node>, so the limits
// of whoever runs atomix-test still hold over them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace atomixtest {

struct CgroupLimits {
    double cpus = 0;     // cores; 0: no limit
    int64_t memory = 0;  // bytes; 0: no limit
};

class NodeCgroup {
  public:
    NodeCgroup(const std::string& cluster, int node);

    // Creates the group (and its parents) with the limits. Environment error
    // naming the file when the kernel refuses.
    void create(const CgroupLimits& limits) const;
    void add_process(pid_t pid) const;  // and, from then on, its children
    std::vector<pid_t> processes() const;
    // Kills what is left in it and removes it; a missing group is fine.
    void remove() const;

    // The group's directory in each tree (one on v2; cpu, memory and, where
    // mounted, freezer on v1).
    const std::vector<std::filesystem::path>& dirs() const { return dirs_; }
    bool unified() const { return unified_; }

  private:
    bool unified_ = false;
    std::vector<std::filesystem::path> dirs_;
};

// The cgroup.procs files of the groups a process is in (its cpu and memory
// groups on v1, its one group on v2): writing a pid there puts that process
// beside it, under the same limits.
std::vector<std::filesystem::path> cgroup_procs_of(pid_t pid);

// The freezer of a group directory (node.pause): v1's freezer.state in the
// freezer tree, v2's cgroup.freeze. Freezing stops every process of the group
// at once, those it forks meanwhile included, and is undone by thawing.
bool has_freezer(const std::filesystem::path& dir);
void set_frozen(const std::filesystem::path& dir, bool frozen);  // Environment error
bool is_frozen(const std::filesystem::path& dir);                // every process frozen
std::vector<pid_t> processes_in(const std::filesystem::path& dir);

// Removes a cluster's whole subtree (teardown and gc), thawing frozen groups.
void remove_cluster_cgroups(const std::string& cluster);

// The clusters that have groups under this process's atomix-test/ (gc).
std::vector<std::string> clusters_with_cgroups();

}  // namespace atomixtest
