// A backend owns the life of clusters: where nodes run (local namespaces, Docker
// containers), their status, their logs, and how to run a tool beside a node
// (inside its network namespace) so that fault plugins work on every backend.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/profile.hpp"

namespace atomixtest {

// Pause freezes every process of the node at once (memory, sockets and
// connections kept, nothing answered); Resume thaws it. A backend checks that
// the node is frozen before Pause returns, and throws when it is not.
enum class NodeAction { Kill, Stop, Start, Recover, Restart, Pause, Resume };
const char* to_string(NodeAction action);

// A command run in a node by run_in_nodes. Where the node is reached through
// an agent, its environment has ATOMIXTEST_NODE_PID: the node's main process
// as the node's machine sees it (unset when it is not running), for a
// node-side tool that acts on the node's processes.
struct NodeCommand {
    int node = 0;
    std::vector<std::string> argv;
    std::string input;  // written to the command's stdin
    // Left running (its own session), the result at once: a load or a daemon
    // that outlives the call. Put in the node's cgroups (and PID namespace)
    // too with in_node_cgroup, so that it competes with the node and ends with
    // it. Honoured by backends whose nodes this process cannot enter (see
    // reaches_nodes_in_process); the others refuse them, their plugins doing
    // the same in-process.
    bool detached = false;
    bool in_node_cgroup = false;
    // Run beside the node rather than in it: on the machine that hosts the
    // node, outside its namespaces and cgroups, and while it is stopped too.
    // Its environment has ATOMIXTEST_NODE_DIR: the directory the backend
    // keeps for the node on that machine (the node's data dir is its `data`,
    // kept across a stop, removed with the node), for what the backend serves
    // from there (a lazy disk's daemon). Honoured where commands are, as
    // detached is.
    bool beside_node = false;
};

struct CommandResult {
    int node = 0;
    int exit_code = -1;
    std::string out;
    std::string err;
};

class Backend {
  public:
    virtual ~Backend() = default;

    // Creates the cluster and returns once every node answers its profile's
    // readiness probe. On failure nothing of the cluster is left behind.
    virtual ClusterInfo setup(const ClusterSpec& spec, const Profile& profile) = 0;
    virtual void teardown(const std::string& cluster) = 0;
    virtual std::vector<std::string> list() = 0;
    virtual ClusterInfo describe(const std::string& cluster) = 0;
    // Returns what it checked of the action's effect ("3 processes frozen by
    // the cgroup freezer"), or "" when nothing was checked.
    virtual std::string node_action(const std::string& cluster, int node, NodeAction action) = 0;
    virtual std::string logs(const std::string& cluster, int node) = 0;

    // Adds a node of the given profile (a server joining the cluster, or a
    // client) once it is ready, and returns it; removes one, leaving the rest.
    virtual NodeInfo add_node(const std::string& cluster, const Profile& profile) = 0;
    virtual void remove_node(const std::string& cluster, int node) = 0;

    // Runs a command in the node itself (in its container on docker, in its
    // namespace locally): the original tool's Node.run. Detached: started and
    // left running (Node.execute), the result is empty.
    virtual CommandResult execute_in_node(const std::string& cluster, int node,
                                          const std::vector<std::string>& argv, bool detached) = 0;

    // A path naming the node's network namespace that setns(2) accepts (a
    // bind-mounted namespace, or /proc/PID/ns/net of the node's process), for
    // plugins that act from inside it (see atomixtest/netns.hpp).
    virtual std::string network_namespace(const std::string& cluster, int node) = 0;

    // The node's main process as this machine sees it (0 if it is not
    // running), for plugins that put work into the node's cgroup (stress).
    virtual int node_pid(const std::string& cluster, int node) = 0;

    // What the backend made on this machine that no cluster accounts for any
    // more (a crash between the steps of a setup or teardown): namespaces,
    // cgroups, state dirs... of clusters neither listed nor in `in_use`. Each
    // is described, and removed unless dry_run. Anything without the
    // framework's tag, or belonging to another state root, is left alone.
    virtual std::vector<std::string> remove_leftovers(const std::vector<std::string>& in_use,
                                                      bool dry_run) = 0;

    // Runs each command inside its node's network namespace, all at once, and
    // returns when every one has exited (results in the order given).
    virtual std::vector<CommandResult> run_in_nodes(const std::string& cluster,
                                                    const std::vector<NodeCommand>& commands) = 0;

    // Whether network_namespace and node_pid name something this process can
    // enter. When not (a pod on another machine, reached through a node
    // agent), a plugin acts through run_in_nodes alone: the node's tools and
    // atomixtest-node-tool (atomixtest/node_tool.hpp), and those two throw.
    virtual bool reaches_nodes_in_process(const std::string& cluster) {
        (void)cluster;
        return true;
    }
};

// run_in_nodes for a backend whose nodes' network namespaces this machine can
// enter: each command run in netns_of(node), all at once, for 30 s at most.
std::vector<CommandResult> run_in_namespaces(const std::vector<NodeCommand>& commands,
                                             const std::function<std::string(int node)>& netns_of);

}  // namespace atomixtest
