#include "node_dirs.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "atomixtest/node_tool.hpp"
#include "mount/lazy_mount.hpp"

namespace atomixtest::kube {

namespace fs = std::filesystem;

namespace {

// The agent's container has a mount namespace of its own; the node dirs and
// their mounts are the machine's (node_tool.hpp).
bool enter_machine_mounts() {
    int machine = machine_process();
    if (machine == 0) return false;
    int fd = open(("/proc/" + std::to_string(machine) + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool entered = setns(fd, CLONE_NEWNS) == 0;
    close(fd);
    return entered;
}

}  // namespace

int remove_node_dir(const std::string& dir) {
    auto path = fs::path(dir).lexically_normal();
    auto root = fs::path(kNodeDirRoot);
    auto relative = path.lexically_relative(root);
    if (!path.is_absolute() || relative.empty() || relative.string() == "." ||
        relative.begin()->string() == "..") {
        std::cerr << "atomixtest-node-agent: " << dir << " is not under " << kNodeDirRoot << "\n";
        return 2;
    }
    if (!enter_machine_mounts()) {
        std::cerr << "atomixtest-node-agent: cannot enter the machine's mount namespace: "
                  << strerror(errno) << "\n";
        return 1;
    }
    for (const auto& mountpoint : disk::mounts_at_or_under(path)) {
        // Busy (a container still binding it): detached, gone once unused.
        if (umount2(mountpoint.c_str(), 0) != 0) umount2(mountpoint.c_str(), MNT_DETACH);
    }
    std::error_code error;
    fs::remove_all(path, error);
    if (error) {
        std::cerr << "atomixtest-node-agent: cannot remove " << path.string() << ": "
                  << error.message() << "\n";
        return 1;
    }
    for (auto parent = path.parent_path(); parent.string().size() >= root.string().size();
         parent = parent.parent_path()) {
        if (rmdir(parent.c_str()) != 0) break;  // not empty: another cluster's, or a node's
    }
    return 0;
}

}  // namespace atomixtest::kube
