#include "foreign_mount.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "atomixtest/error.hpp"

namespace atomixtest::disk {

namespace {

// The child's exit code is the errno of the step that failed (0: done).
template <typename Step>
int in_mount_namespace(int namespace_fd, Step step) {
    pid_t child = fork();
    if (child < 0) return errno;
    if (child == 0) {
        if (setns(namespace_fd, CLONE_NEWNS) != 0) _exit(errno);
        _exit(step());
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
}

}  // namespace

ForeignMounts::ForeignMounts(int pid) {
    auto proc = "/proc/" + std::to_string(pid);
    root_.reset(open((proc + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    namespace_.reset(open((proc + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
    if (!root_ || !namespace_) {
        throw environment_error("cannot open the mounts of pid " + std::to_string(pid) + ": " +
                                std::strerror(errno));
    }
}

std::string ForeignMounts::seen(const std::string& path) const {
    return "/proc/self/fd/" + std::to_string(root_.get()) + path;
}

int ForeignMounts::mount_fuse(const std::string& mountpoint, int fuse_fd) const {
    struct stat where {};
    if (stat(seen(mountpoint).c_str(), &where) != 0) return errno;
    // What libfuse's own mount passes (fsname, subtype, allow_other,
    // default_permissions), the connection named by its fd.
    char options[160];
    std::snprintf(options, sizeof options,
                  "fd=%d,rootmode=%o,user_id=0,group_id=0,allow_other,default_permissions", fuse_fd,
                  where.st_mode & S_IFMT);
    return in_mount_namespace(namespace_.get(), [&] {
        return mount("atomix-test", mountpoint.c_str(), "fuse.atomixtest-disk",
                     MS_NOSUID | MS_NODEV, options) == 0
                   ? 0
                   : errno;
    });
}

void unmount_in(int namespace_fd, const std::string& mountpoint) {
    in_mount_namespace(namespace_fd,
                       [&] { return umount2(mountpoint.c_str(), MNT_DETACH) == 0 ? 0 : errno; });
}

}  // namespace atomixtest::disk
