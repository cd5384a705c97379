// atomixtest-diskfs: a node's data directory as a FUSE file system (libfuse3)
// over a directory of this machine, the "lazy disk": what the node writes
// reaches the directory at once, and what it never synced can be taken back
// as a power loss would (lazy_store.hpp), on the plugin's word over a control
// socket, which also sets I/O errors and delays by path (io_rules.hpp).
//
// One daemon per node, started from this machine when its cluster is set up
// and tagged with the cluster (ATOMIX_TEST_CLUSTER), so gc finds it; the
// mount is of type fuse.atomixtest-disk, so gc finds that too. A daemon that
// stops serving (SIGSTOP, a deadlock) would hang every process touching the
// node's data: a watchdog of its own kills it when its heartbeat stops for
// 5 s, and unmounts the mount lazily (so do teardown and gc).
//
// usage: atomixtest-diskfs --lower DIR --trash DIR --mount DIR --control SOCKET
//                          [--cluster NAME --node ID --backend NAME]
//                          [--in-mounts-of PID]
//        (prints "ready" once the mount serves; with --in-mounts-of, the
//        paths are PID's and the mount is made in its mount namespace:
//        mount/foreign_mount.hpp)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "control_channel.hpp"
#include "control_server.hpp"
#include "disk_daemon.hpp"
#include "diskfs_serve.hpp"
#include "mount/foreign_mount.hpp"

namespace atomixtest::disk {
namespace {

constexpr auto kHeartbeatEvery = std::chrono::milliseconds(200);
constexpr int kWatchdogPatienceMs = 5000;

// The watchdog: the daemon's child, run again under another name. When the
// heartbeat stops it kills the daemon; when the daemon is gone without saying
// goodbye ("x"), the mount it leaves answers nothing, so it is detached.
// In the other mount namespace when the daemon was given one (its fd, kept
// open across the watchdog's exec), else here.
void detach(const char* mountpoint, int namespace_fd) {
    if (namespace_fd >= 0) {
        unmount_in(namespace_fd, mountpoint);
    } else {
        umount2(mountpoint, MNT_DETACH);
    }
}

int watch(int heartbeat, const char* mountpoint, int namespace_fd) {
    pid_t daemon = getppid();
    char beats[256];
    while (true) {
        pollfd pfd{heartbeat, POLLIN, 0};
        int ready = poll(&pfd, 1, kWatchdogPatienceMs);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            std::fprintf(stderr, "atomixtest-diskfs: no heartbeat for %d ms, stopping pid %d\n",
                         kWatchdogPatienceMs, daemon);
            kill(daemon, SIGKILL);
            detach(mountpoint, namespace_fd);
            return 0;
        }
        ssize_t n = read(heartbeat, beats, sizeof beats);
        if (n > 0 && std::memchr(beats, 'x', static_cast<size_t>(n))) return 0;
        if (n <= 0) {
            detach(mountpoint, namespace_fd);
            return 0;
        }
    }
}

int start_watchdog(const std::string& mountpoint, int namespace_fd) {
    int beat[2];
    if (pipe2(beat, O_CLOEXEC) != 0) return -1;
    // Closed by the child's exec: until then the child still looks like a
    // second daemon of this mount (its argv is ours), so "ready" waits for it.
    int execed[2];
    if (pipe2(execed, O_CLOEXEC) != 0) {
        close(beat[0]);
        close(beat[1]);
        return -1;
    }
    pid_t child = fork();
    if (child == 0) {
        dup2(beat[0], 3);
        if (namespace_fd >= 0) dup2(namespace_fd, 4);  // without close-on-exec
        setsid();                                      // a signal to the daemon's group spares it
        auto in = std::to_string(namespace_fd >= 0 ? 4 : -1);
        const char* argv[] = {"atomixtest-diskfs-watchdog", "--watchdog", "3",
                              mountpoint.c_str(),           in.c_str(),   nullptr};
        execv("/proc/self/exe", const_cast<char* const*>(argv));
        _exit(127);
    }
    close(beat[0]);
    close(execed[1]);
    char ignored = 0;
    while (child > 0 && read(execed[0], &ignored, 1) < 0 && errno == EINTR) {
    }
    close(execed[0]);
    fcntl(beat[1], F_SETFL, O_NONBLOCK);
    return child > 0 ? beat[1] : -1;
}

// Beats only while the store's lock can be taken: a deadlocked daemon stops.
void beat(int heartbeat, LazyStore& store) {
    while (true) {
        store.unsynced();
        [[maybe_unused]] auto written = write(heartbeat, "b", 1);
        std::this_thread::sleep_for(kHeartbeatEvery);
    }
}

void empty_directory(const std::string& path) {
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(path, ignored)) {
        std::filesystem::remove_all(entry.path(), ignored);
    }
}

// libfuse mounts in this process's namespace; in another one (the node
// agent's machine), the mount is made there on an opened /dev/fuse, which
// libfuse then serves as the mount point "/dev/fd/N".
bool mount_disk(fuse* fs, const std::string& mountpoint, const ForeignMounts* machine) {
    if (!machine) return fuse_mount(fs, mountpoint.c_str()) == 0;
    int connection = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (connection < 0) return false;
    if (int error = machine->mount_fuse(mountpoint, connection); error != 0) {
        std::fprintf(stderr, "atomixtest-diskfs: mount in the other namespace: %s\n",
                     std::strerror(error));
        close(connection);
        return false;
    }
    return fuse_mount(fs, ("/dev/fd/" + std::to_string(connection)).c_str()) == 0;
}

// libfuse unmounts what it mounted; a mount made in the other namespace is
// detached there.
void unmount_disk(fuse* fs, const std::string& mountpoint, int namespace_fd) {
    fuse_unmount(fs);
    if (namespace_fd >= 0) unmount_in(namespace_fd, mountpoint);
}

int run(std::map<std::string, std::string>& options) {
    std::optional<ForeignMounts> machine;
    if (options.count("--in-mounts-of"))
        machine.emplace(std::atoi(options["--in-mounts-of"].c_str()));
    // The daemon's own view of a path (another namespace's, through its root).
    auto here = [&](const std::string& path) { return machine ? machine->seen(path) : path; };
    int namespace_fd = machine ? machine->namespace_fd() : -1;
    // Whatever a daemon before this one left in the trash was never undone:
    // it is durable, and the trash starts empty.
    empty_directory(here(options["--trash"]));
    UniqueFd lower(open(here(options["--lower"]).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    UniqueFd trash(open(here(options["--trash"]).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!lower || !trash) {
        std::perror("atomixtest-diskfs: cannot open the lower or trash directory");
        return 1;
    }
    LazyStore store(std::move(lower), std::move(trash));
    DiskDaemon daemon(store, here(options["--mount"]));
    auto control_path = here(options["--control"]);
    auto control = listen_control(control_path);

    std::string mount_options =
        "fsname=atomix-test,subtype=atomixtest-disk,allow_other,default_permissions";
    const char* args[] = {"atomixtest-diskfs", "-o", mount_options.c_str(), nullptr};
    fuse_args fuse_arguments = FUSE_ARGS_INIT(3, const_cast<char**>(args));
    fuse* fs = fuse_new(&fuse_arguments, &disk_operations(), sizeof(fuse_operations), &daemon);
    if (!fs || !mount_disk(fs, options["--mount"], machine ? &*machine : nullptr)) {
        std::fprintf(stderr, "atomixtest-diskfs: cannot mount %s\n", options["--mount"].c_str());
        return 1;
    }
    fuse_set_signal_handlers(fuse_get_session(fs));
    int heartbeat = start_watchdog(options["--mount"], namespace_fd);
    if (heartbeat < 0) {
        std::perror("atomixtest-diskfs: cannot start its watchdog");
        unmount_disk(fs, options["--mount"], namespace_fd);
        return 1;
    }
    std::thread([&] { serve_control(control.get(), daemon); }).detach();
    std::thread([&] { beat(heartbeat, store); }).detach();
    std::printf("ready\n");
    std::fflush(stdout);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);

    auto* config = fuse_loop_cfg_create();
    fuse_loop_cfg_set_max_threads(config, 16);
    int outcome = fuse_loop_mt(fs, config);
    fuse_loop_cfg_destroy(config);
    fuse_remove_signal_handlers(fuse_get_session(fs));
    unmount_disk(fs, options["--mount"], namespace_fd);
    [[maybe_unused]] auto goodbye = write(heartbeat, "x", 1);
    unlink(control_path.c_str());
    fuse_destroy(fs);
    return outcome == 0 ? 0 : 1;
}

}  // namespace
}  // namespace atomixtest::disk

namespace atomixtest::disk {

int serve_lazy_disk(int argc, char** argv) {
    if (argc == 5 && std::strcmp(argv[1], "--watchdog") == 0) {
        return watch(std::atoi(argv[2]), argv[3], std::atoi(argv[4]));
    }
    signal(SIGPIPE, SIG_IGN);
    std::map<std::string, std::string> options;
    for (int i = 1; i + 1 < argc; i += 2) options[argv[i]] = argv[i + 1];
    for (const char* required : {"--lower", "--trash", "--mount", "--control"}) {
        if (!options.count(required)) {
            std::fprintf(stderr,
                         "usage: atomixtest-diskfs --lower DIR --trash DIR --mount DIR "
                         "--control SOCKET [--cluster NAME --node ID --backend NAME] "
                         "[--in-mounts-of PID]\n");
            return 2;
        }
    }
    try {
        return run(options);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "atomixtest-diskfs: %s\n", error.what());
        return 1;
    }
}

}  // namespace atomixtest::disk
