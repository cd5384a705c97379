// atomixtest-node-disk: a node's lazy disk on the node's own machine, for
// nodes this process cannot reach (a pod on another machine, behind the node
// agent). Run beside the node (NodeCommand::beside_node): the node's dir is
// ATOMIXTEST_NODE_DIR, a path of the machine (machine_process(), whose root
// and mount namespace this program reaches through the agent's hostPID); the
// daemon serves its data dir from there and the plugin's requests reach its
// control socket from here.
//
//   mount CLUSTER NODE    starts the node's daemon (this program's `serve`)
//                         and returns once the data dir is its mount
//   control REQUEST_JSON  one request to the daemon (control_channel.hpp);
//                         its reply, as it came, on stdout
//   serve ...             the daemon itself (fs/diskfs_serve.hpp)
//
// Exit 3: no daemon answers for the node; 4: the lazy disk could not be
// made; 2: usage.
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"
#include "fs/diskfs_serve.hpp"
#include "mount/foreign_mount.hpp"
#include "mount/lazy_mount.hpp"
#include "node_disk_tool.hpp"
#include "util/socket_lines.hpp"

namespace atomixtest::disk {

namespace {

constexpr auto kControlTimeout = std::chrono::seconds(30);

int usage() {
    std::cerr << "usage: atomixtest-node-disk mount CLUSTER NODE | control REQUEST_JSON | "
                 "serve ...   (beside a node: ATOMIXTEST_NODE_DIR set)\n";
    return 2;
}

int machine() {
    int pid = machine_process();
    if (pid == 0) throw environment_error("no process of this machine outside this container");
    return pid;
}

LazyDisk node_disk() {
    const char* dir = std::getenv("ATOMIXTEST_NODE_DIR");
    if (!dir || *dir != '/') throw bad_input("ATOMIXTEST_NODE_DIR names no node's dir");
    return lazy_disk_at(std::filesystem::path(dir) / "data", dir);
}

int run(const std::vector<std::string>& args) {
    if (args.size() == 3 && args[0] == "mount") {
        mount_lazy_disk_in(machine(), node_disk(), args[1], std::atoi(args[2].c_str()),
                           {std::filesystem::read_symlink("/proc/self/exe").string(), "serve"});
        std::cout << "mounted\n";
        return 0;
    }
    if (args.size() == 2 && args[0] == "control") {
        ForeignMounts machine_files(machine());
        auto reply =
            call_json_line(machine_files.seen(node_disk().control.string()),
                           nlohmann::json::parse(args[1]), kControlTimeout, "the disk daemon");
        std::cout << reply.dump() << "\n";
        return 0;
    }
    return usage();
}

}  // namespace

}  // namespace atomixtest::disk

int main(int argc, char** argv) {
    using namespace atomixtest;
    // The daemon, and its watchdog (which it starts as /proc/self/exe).
    if (argc >= 2 && std::strcmp(argv[1], "serve") == 0) {
        return disk::serve_lazy_disk(argc - 1, argv + 1);
    }
    if (argc >= 2 && std::strcmp(argv[1], "--watchdog") == 0) {
        return disk::serve_lazy_disk(argc, argv);
    }
    try {
        return disk::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const Error& error) {
        std::cerr << error.what() << "\n";
        if (error.kind() == ErrorKind::BadInput) return 2;
        return error.kind() == ErrorKind::Unavailable ? disk::kNodeDiskNoDaemon
                                                      : disk::kNodeDiskCannot;
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return disk::kNodeDiskCannot;
    }
}
