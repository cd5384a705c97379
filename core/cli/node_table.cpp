#include "cli/node_table.hpp"

#include <algorithm>
#include <cstdio>

namespace atomixtest::cli {

void print_node_table(std::ostream& out, const ClusterInfo& cluster) {
    // HOST only where nodes have one (the kubernetes backend's machines).
    bool hosts = std::any_of(cluster.nodes.begin(), cluster.nodes.end(),
                             [](const NodeInfo& node) { return !node.host.empty(); });
    char line[320];
    snprintf(line, sizeof line, "%-6s %-24s %-10s %-15s %-10s %-8s %s", "ID", "NAME", "STATUS",
             "IP", "LOCAL PORT", "TYPE", "PROFILE");
    out << line;
    if (hosts) {
        snprintf(line, sizeof line, "%*s HOST", std::max(0, 16 - 7), "");
        out << line;
    }
    out << "\n";
    for (const auto& node : cluster.nodes) {
        snprintf(line, sizeof line, "%-6d %-24s %-10s %-15s %-10d %-8s %s", node.id,
                 node.name.c_str(), to_string(node.status), node.ip.c_str(), node.local_port,
                 to_string(node.type), node.profile.c_str());
        out << line;
        if (hosts) {
            snprintf(line, sizeof line, "%*s %s",
                     std::max(0, 16 - static_cast<int>(node.profile.size())), "",
                     node.host.c_str());
            out << line;
        }
        out << "\n";
    }
}

void print_fault_list(std::ostream& out, const nlohmann::json& faults) {
    if (faults.empty()) {
        out << "no faults in force\n";
        return;
    }
    for (const auto& fault : faults) {
        if (fault.value("type", "") == "partition") {
            out << "partition " << fault["local"]
                << (fault["direction"] == "both" ? " <-> " : " -> ") << fault["remote"] << "\n";
        } else if (fault.contains("summary")) {
            out << fault["summary"].get<std::string>() << "\n";
        } else {
            out << fault.dump() << "\n";
        }
    }
}

}  // namespace atomixtest::cli
