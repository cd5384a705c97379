// A node's lazy disk, as the backends set it up and take it down: the node's
// data dir is the mount point of a FUSE daemon (atomixtest-diskfs) started
// from this machine, serving a directory beside it. Used by the local and
// docker backends (setup, add-node, teardown, gc) and by the disk plugin
// (which finds a node's daemon and talks to it).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace atomixtest::disk {

// Where the pieces live for one node, under the directory its backend keeps
// for it: the data as the node sees it (the mount point), the directory that
// holds it, the trash of removed entries, the daemon's control socket.
struct LazyDisk {
    std::filesystem::path mountpoint;
    std::filesystem::path lower;
    std::filesystem::path trash;
    std::filesystem::path control;
};
LazyDisk lazy_disk_at(const std::filesystem::path& mountpoint,
                      const std::filesystem::path& node_dir);

// Starts the node's daemon (tagged with the cluster) and returns once the
// mount serves. Throws Error(Environment) naming what failed. The daemon is
// the one installed beside the plugins unless `executable` names another (a
// test's build tree).
void mount_lazy_disk(const LazyDisk& disk, const std::string& backend, const std::string& cluster,
                     int node, const std::filesystem::path& executable = {});

// The same, for a node whose data dir is a path of another mount namespace
// (PID's: the node agent's machine, whose PID 1 it sees): the daemon (the
// node disk tool's `serve`, untagged: it belongs to the agent, not to a
// state root of this machine) reaches the paths through PID's root and
// mounts there (foreign_mount.hpp).
void mount_lazy_disk_in(int pid, const LazyDisk& disk, const std::string& cluster, int node,
                        const std::vector<std::string>& daemon_argv);

// The mounts at or under a directory, read from /proc/self/mountinfo,
// deepest first: all of them, or those of one type.
std::vector<std::string> mounts_at_or_under(const std::filesystem::path& under,
                                            const std::string& type = "");

// The framework's FUSE mounts at or under a directory (a cluster's state, or
// the whole state root), deepest first.
std::vector<std::string> lazy_disk_mounts(const std::filesystem::path& under);

// Unmounts every mount of the framework's under `under` (a lazy unmount when
// it is busy or its daemon is gone: nothing waits on a dead daemon), then
// stops the daemons that served them. Returns what was unmounted.
std::vector<std::string> unmount_lazy_disks(const std::filesystem::path& under);

// The daemon serving a node of a cluster (of this state root), if one runs.
struct DiskDaemonProcess {
    int pid = 0;
    std::string backend;
    std::string cluster;
    int node = 0;
    std::string control;
    std::string mountpoint;
};
std::vector<DiskDaemonProcess> disk_daemons();

}  // namespace atomixtest::disk
