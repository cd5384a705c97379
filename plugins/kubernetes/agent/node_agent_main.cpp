// `atomixtest-node-agent`: the node agent, one per Kubernetes node (a
// privileged DaemonSet with the host's PID namespace and cgroups). The core
// reaches it through the API server's exec; it finds a pod's processes by
// the pod's UID and acts in their namespaces and cgroups, so nothing is
// needed in the system's image.
//
//   serve                    what the DaemonSet's container runs: waits
//   run UID [--cgroup] [--detach] -- COMMAND...
//                            runs COMMAND in the pod's network namespace;
//                            --cgroup: also in its container's cgroups and
//                            PID namespace; --detach: left running
//   beside DIR [--detach] -- COMMAND...
//                            runs COMMAND in the agent's own namespaces with
//                            ATOMIXTEST_NODE_DIR=DIR (a node's dir here)
//   remove-dir DIR           unmounts what is mounted under a node's dir (or
//                            a cluster's) and removes it (node_dirs.hpp)
//   signal UID SIGNAL WAIT_MS
//                            signals the container's main process and waits
//                            up to WAIT_MS for it to end
//   freeze UID 1|0           freezes (1) or thaws (0) the container's
//                            processes with its cgroup freezer
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "node_dirs.hpp"
#include "pod_entry.hpp"

namespace {

int serve() {
    sigset_t ends;
    sigemptyset(&ends);
    sigaddset(&ends, SIGTERM);
    sigaddset(&ends, SIGINT);
    sigprocmask(SIG_BLOCK, &ends, nullptr);
    std::cout << "atomixtest-node-agent: ready" << std::endl;
    int which = 0;
    sigwait(&ends, &which);
    return 0;
}

int usage() {
    std::cerr << "usage: atomixtest-node-agent serve | run UID [--cgroup] [--detach] -- "
                 "COMMAND... | beside DIR [--detach] -- COMMAND... | remove-dir DIR | "
                 "signal UID SIGNAL WAIT_MS | freeze UID 1|0\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 1 && args[0] == "serve") return serve();
    if (args.size() == 4 && args[0] == "signal") {
        return atomixtest::kube::signal_pod_container(args[1], args[2], std::stoi(args[3]));
    }
    if (args.size() == 3 && args[0] == "freeze" && (args[2] == "1" || args[2] == "0")) {
        return atomixtest::kube::freeze_pod_container(args[1], args[2] == "1");
    }
    if (args.size() == 2 && args[0] == "remove-dir") {
        return atomixtest::kube::remove_node_dir(args[1]);
    }
    if (args.size() < 4 || (args[0] != "run" && args[0] != "beside")) return usage();
    atomixtest::kube::PodCommand command{.pod_uid = args[1]};
    size_t i = 2;
    for (; i < args.size() && args[i] != "--"; ++i) {
        if (args[i] == "--cgroup" && args[0] == "run")
            command.in_cgroup = true;
        else if (args[i] == "--detach")
            command.detached = true;
        else
            return usage();
    }
    command.argv.assign(args.begin() + static_cast<long>(std::min(i + 1, args.size())), args.end());
    if (command.argv.empty()) return usage();
    if (args[0] == "beside") {
        return atomixtest::kube::run_beside_pods(args[1], command.argv, command.detached);
    }
    return atomixtest::kube::run_in_pod(command);
}
