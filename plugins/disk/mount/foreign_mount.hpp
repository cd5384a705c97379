// A lazy disk mounted in another mount namespace than the daemon's: the node
// agent's daemon serves a node whose data dir is a path of the agent's
// machine (machine_process(), node_tool.hpp), not of the agent's container.
// The daemon reaches that machine's files through the machine's root, and a
// child that joins the machine's mount namespace does the mount and the
// unmount, so the daemon itself never changes namespace (it forks and execs
// its watchdog after). Both are held open from the start: the process that
// showed them may end before the daemon does. The node disk tool reaches
// the node's dir the same way (mount_lazy_disk_in, its control socket).
#pragma once

#include <string>

#include "util/fd.hpp"

namespace atomixtest::disk {

class ForeignMounts {
  public:
    // Throws Error(Environment) when PID's root or mount namespace cannot be
    // opened.
    explicit ForeignMounts(int pid);

    // The path as this process reaches it.
    std::string seen(const std::string& path) const;
    int namespace_fd() const { return namespace_.get(); }

    // Mounts the FUSE connection `fuse_fd` (opened /dev/fuse) at
    // `mountpoint`, with the options libfuse would have given it. Returns 0,
    // or the errno of what failed.
    int mount_fuse(const std::string& mountpoint, int fuse_fd) const;

  private:
    UniqueFd root_;
    UniqueFd namespace_;
};

// Detaches whatever is mounted at `mountpoint` in the mount namespace open
// as `namespace_fd`.
void unmount_in(int namespace_fd, const std::string& mountpoint);

}  // namespace atomixtest::disk
