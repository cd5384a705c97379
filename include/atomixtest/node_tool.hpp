// For fault plugins on nodes this process cannot enter (Backend::
// reaches_nodes_in_process is false): atomixtest-node-tool, run in a node by
// Backend::run_in_nodes, finds and ends processes and probes the network
// there. It is shipped beside the plugins and in the node agent's image.
#pragma once

#include <string>
#include <vector>

#include "atomixtest/backend.hpp"

namespace atomixtest {

// A program shipped beside the plugins (atomixtest-node-tool, a plugin's own
// node-side tool or daemon): its path on this machine, which is also its path
// in an agent's image (images are assembled from this machine's files).
// Environment error when it is missing. A plugin's node-side tool named
// atomixtest-node-* goes into the node agent's image with the node tool.
std::string plugin_program(const std::string& name);

// plugin_program("atomixtest-node-tool").
std::string node_tool_program();

// Runs `atomixtest-node-tool ARGS...` in the node through the backend; an
// Environment error with the tool's stderr when it fails.
CommandResult run_node_tool(Backend& backend, const std::string& cluster, int node,
                            const std::vector<std::string>& args);

struct NodeProcess {
    int pid = 0;
    int group = 0;  // its process group
    long cpu_ticks = 0;
    std::string command;
};

// `atomixtest-node-tool processes NAME`'s output, a process a line.
std::vector<NodeProcess> parse_node_processes(const std::string& out);

// For a node-side tool run beside a node (NodeCommand::beside_node) from an
// agent's container: a process of the machine itself, whose mount namespace
// holds the node's dir (what the kubelet binds into pods). It is the nearest
// ancestor in another mount namespace than this process's (the container
// runtime's shim; PID 1 of the machine may not be open to us). 0 if none.
int machine_process();

}  // namespace atomixtest
