#include "lazy_mount.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/process_tag.hpp"
#include "foreign_mount.hpp"
#include "util/fd.hpp"
#include "util/private_dir.hpp"

namespace atomixtest::disk {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDaemonName = "atomixtest-diskfs";
constexpr const char* kMountType = "fuse.atomixtest-disk";

// Installed beside the plugins (this code is linked into the backends and
// the disk plugin, which all live there).
std::string daemon_executable() {
    Dl_info info{};
    dladdr(reinterpret_cast<void*>(&daemon_executable), &info);
    auto path = fs::path(info.dli_fname ? info.dli_fname : "").parent_path() / kDaemonName;
    if (access(path.c_str(), X_OK) != 0) {
        throw environment_error("the lazy disk's daemon is missing: " + path.string() +
                                " (scripts/build builds it; scripts/setup installs libfuse3)");
    }
    return path.string();
}

// mountinfo writes a space in a path as \040.
std::string unescaped(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 3), nullptr, 8));
            i += 3;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::vector<std::string> arguments_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
    std::vector<std::string> argv;
    for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
    return argv;
}

bool at_or_under(const std::string& path, const std::string& root) {
    return path == root || path.rfind(root + "/", 0) == 0;
}

}  // namespace

LazyDisk lazy_disk_at(const fs::path& mountpoint, const fs::path& node_dir) {
    auto disk = node_dir / "disk";
    return {mountpoint, disk / "data", disk / "trash", disk / "control.sock"};
}

namespace {

std::vector<std::string> daemon_options(const LazyDisk& disk, const std::string& cluster, int node,
                                        const std::string& backend) {
    return {"--lower",   disk.lower.string(),
            "--trash",   disk.trash.string(),
            "--mount",   disk.mountpoint.string(),
            "--control", disk.control.string(),
            "--cluster", cluster,
            "--node",    std::to_string(node),
            "--backend", backend};
}

// Started in its own session, reparented away (it outlives this command);
// returns once it says the mount serves.
void start_daemon(std::vector<std::string> args, std::vector<std::string> environment, int node,
                  const std::string& mountpoint) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    auto envp = environment_pointers(environment);
    auto ready = make_pipe();
    pid_t first = fork();
    if (first < 0) throw environment_error(std::string("fork: ") + strerror(errno));
    if (first == 0) {
        setsid();
        if (fork() != 0) _exit(0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(ready.write.get(), 1);
        dup2(null, 2);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    ready.write.reset();
    waitpid(first, nullptr, 0);
    std::string said;
    char buffer[64];
    pollfd pfd{ready.read.get(), POLLIN, 0};
    while (said.find('\n') == std::string::npos && poll(&pfd, 1, 10000) > 0) {
        ssize_t n = read(ready.read.get(), buffer, sizeof buffer);
        if (n <= 0) break;
        said.append(buffer, static_cast<size_t>(n));
    }
    if (said.rfind("ready", 0) != 0) {
        throw environment_error("the lazy disk of node " + std::to_string(node) +
                                " did not mount at " + mountpoint +
                                " (is /dev/fuse there, and libfuse3 installed?)");
    }
}

}  // namespace

void mount_lazy_disk(const LazyDisk& disk, const std::string& backend, const std::string& cluster,
                     int node, const fs::path& daemon) {
    auto executable = daemon.empty() ? daemon_executable() : daemon.string();
    for (const auto& dir : {disk.mountpoint, disk.lower, disk.trash}) fs::create_directories(dir);
    make_private_directories(disk.control.parent_path());
    std::vector<std::string> args = {executable};
    for (auto& option : daemon_options(disk, cluster, node, backend)) args.push_back(option);
    start_daemon(args, tagged_environment(cluster) /* for gc */, node, disk.mountpoint.string());
}

void mount_lazy_disk_in(int pid, const LazyDisk& disk, const std::string& cluster, int node,
                        const std::vector<std::string>& daemon_argv) {
    ForeignMounts machine(pid);
    auto seen = [&](const fs::path& path) { return fs::path(machine.seen(path.string())); };
    make_private_directories(seen(disk.mountpoint.parent_path()));  // the node's dir
    for (const auto& dir : {disk.mountpoint, disk.lower, disk.trash}) {
        fs::create_directories(seen(dir));
    }
    make_private_directories(seen(disk.control.parent_path()));
    auto args = daemon_argv;
    for (auto& option : daemon_options(disk, cluster, node, "agent")) args.push_back(option);
    args.push_back("--in-mounts-of");
    args.push_back(std::to_string(pid));
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
    start_daemon(args, environment, node, disk.mountpoint.string());
}

std::vector<std::string> mounts_at_or_under(const fs::path& under, const std::string& type) {
    auto root = fs::absolute(under).lexically_normal().string();
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    std::ifstream in("/proc/self/mountinfo");
    std::vector<std::string> found;
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string id, parent, device, mount_root, mountpoint, word;
        fields >> id >> parent >> device >> mount_root >> mountpoint;
        while (fields >> word && word != "-") {
        }
        std::string mount_type;
        fields >> mount_type;
        if (!type.empty() && mount_type != type) continue;
        mountpoint = unescaped(mountpoint);
        if (at_or_under(mountpoint, root)) found.push_back(mountpoint);
    }
    std::sort(found.begin(), found.end(), std::greater<>());  // deepest first
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

std::vector<std::string> lazy_disk_mounts(const fs::path& under) {
    return mounts_at_or_under(under, kMountType);
}

std::vector<DiskDaemonProcess> disk_daemons() {
    std::vector<DiskDaemonProcess> found;
    for (const auto& process : tagged_processes()) {
        auto argv = arguments_of(process.pid);
        if (argv.empty() || fs::path(argv[0]).filename() != kDaemonName) continue;
        DiskDaemonProcess daemon{process.pid, "", process.cluster, 0, "", ""};
        for (size_t i = 1; i + 1 < argv.size(); i += 2) {
            if (argv[i] == "--backend") daemon.backend = argv[i + 1];
            if (argv[i] == "--node") daemon.node = std::atoi(argv[i + 1].c_str());
            if (argv[i] == "--control") daemon.control = argv[i + 1];
            if (argv[i] == "--mount") daemon.mountpoint = argv[i + 1];
        }
        found.push_back(daemon);
    }
    return found;
}

std::vector<std::string> unmount_lazy_disks(const fs::path& under) {
    auto mounts = lazy_disk_mounts(under);
    for (const auto& mountpoint : mounts) {
        // A busy mount (a process of the node still in it, a bind in a
        // container being removed) is detached: it goes once unused.
        if (umount2(mountpoint.c_str(), 0) != 0) umount2(mountpoint.c_str(), MNT_DETACH);
    }
    // The daemons end by themselves once unmounted; any left is stopped.
    auto root = fs::absolute(under).lexically_normal().string();
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    std::vector<int> pids;
    for (const auto& daemon : disk_daemons()) {
        if (at_or_under(daemon.mountpoint, root)) pids.push_back(daemon.pid);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (int pid : pids) {
        while (process_running(pid) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (process_running(pid)) kill(pid, SIGKILL);
    }
    return mounts;
}

}  // namespace atomixtest::disk
