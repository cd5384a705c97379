#include "namespaces.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <regex>

#include "atomixtest/error.hpp"
#include "atomixtest/netns.hpp"
#include "atomixtest/process.hpp"

namespace atomixtest::local {

namespace {

void run_ip_batch(const std::vector<std::string>& options, const std::string& batch,
                  const std::string& what) {
    std::vector<std::string> argv = {"ip"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), {"-batch", "-"});
    auto result = run_process({.argv = argv, .input = batch});
    if (result.exit_code != 0) {
        auto kind = result.err.find("Operation not permitted") != std::string::npos ||
                            result.err.find("Permission denied") != std::string::npos
                        ? ErrorKind::Environment
                        : ErrorKind::Internal;
        throw Error(kind, what + " failed: " + result.err +
                              (kind == ErrorKind::Environment
                                   ? " (the local backend needs root, or CAP_SYS_ADMIN and "
                                     "CAP_NET_ADMIN, to create network namespaces)"
                                   : ""));
    }
}

}  // namespace

std::string node_address(const std::string& subnet, int id) {
    static const std::regex form(R"((\d+)\.(\d+)\.(\d+)\.0/24)");
    std::smatch match;
    if (subnet.size() > 18 || !std::regex_match(subnet, match, form)) {
        throw bad_input("invalid subnet '" + subnet +
                        "': the local backend takes a /24 such as "
                        "10.77.0.0/24");
    }
    for (int part = 1; part <= 3; ++part) {
        if (match[part].length() > 3 || std::stoi(match[part].str()) > 255) {
            throw bad_input("invalid subnet '" + subnet + "': " + match[part].str() +
                            " is not an address byte (0 to 255)");
        }
    }
    if (id < 1 || id > 240) throw bad_input("node id " + std::to_string(id) + " out of 1..240");
    return match[1].str() + "." + match[2].str() + "." + match[3].str() + "." +
           std::to_string(10 + id);
}

int subnet_prefix_length(const std::string&) {
    return 24;
}

namespace {

std::string bridge_port_of(const LocalNode& node) {
    return "n" + std::to_string(node.id);
}

std::string bridge_port_batch(const LocalNode& node) {
    auto port = bridge_port_of(node);
    return "link add " + port + " type veth peer name eth0 netns " + node.netns + "\n" +
           "link set " + port + " master br0 up\n";
}

ProcessSpec address_node(const LocalCluster& cluster, const LocalNode& node) {
    return {.argv = {"ip", "-n", node.netns, "-batch", "-"},
            .input = "addr add " + node.ip + "/" +
                     std::to_string(subnet_prefix_length(cluster.subnet)) +
                     " dev eth0\nlink set eth0 up\nlink set lo up\n"};
}

// Creates the namespaces, joins each node's to the bridge, gives it its address.
void plug_nodes(const LocalCluster& cluster, const std::vector<LocalNode>& nodes,
                bool with_bridge) {
    std::string add_namespaces = with_bridge ? "netns add " + cluster.bridge_netns + "\n" : "";
    std::string bridge = with_bridge ? "link add br0 type bridge\nlink set br0 up\n" : "";
    for (const auto& node : nodes) {
        add_namespaces += "netns add " + node.netns + "\n";
        bridge += bridge_port_batch(node);
    }
    run_ip_batch({}, add_namespaces, "creating network namespaces");
    run_ip_batch({"-n", cluster.bridge_netns}, bridge, "joining nodes to the cluster bridge");
    std::vector<ProcessSpec> address_nodes;
    for (const auto& node : nodes) address_nodes.push_back(address_node(cluster, node));
    auto results = run_processes(address_nodes);
    for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].exit_code != 0) {
            throw Error(ErrorKind::Internal,
                        "configuring " + nodes[i].netns + " failed: " + results[i].err);
        }
    }
}

}  // namespace

void create_network(const LocalCluster& cluster) {
    try {
        plug_nodes(cluster, cluster.nodes, true);
    } catch (...) {
        delete_network(cluster);
        throw;
    }
}

void add_node_network(const LocalCluster& cluster, const LocalNode& node) {
    try {
        plug_nodes(cluster, {node}, false);
    } catch (...) {
        remove_node_network(cluster, node);
        throw;
    }
}

void remove_node_network(const LocalCluster& cluster, const LocalNode& node) {
    run_process({.argv = {"ip", "-n", cluster.bridge_netns, "link", "del", bridge_port_of(node)}});
    delete_namespaces({node.netns});
}

void delete_namespaces(const std::vector<std::string>& names) {
    std::string batch;
    for (const auto& name : names) {
        if (std::filesystem::exists(netns_path(name))) batch += "netns del " + name + "\n";
    }
    // -force: go on past a namespace that vanished meanwhile.
    if (!batch.empty()) run_process({.argv = {"ip", "-force", "-batch", "-"}, .input = batch});
}

void delete_network(const LocalCluster& cluster) {
    std::vector<std::string> names;
    for (const auto& node : cluster.nodes) names.push_back(node.netns);
    names.push_back(cluster.bridge_netns);
    delete_namespaces(names);
}

std::vector<std::string> existing_namespaces(const std::string& prefix) {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
        auto name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0) names.push_back(name);
    }
    return names;
}

std::vector<int> pids_in_namespace(const std::string& netns) {
    return processes_in_network_namespace(netns_path(netns));
}

}  // namespace atomixtest::local
