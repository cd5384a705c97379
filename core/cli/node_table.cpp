#include "cli/node_table.hpp"

#include <algorithm>
#include <cstdio>

namespace atomixtest::cli {

void print_node_table(std::ostream& out, const ClusterInfo& cluster) {
    // HOST only where nodes have one (the kubernetes backend's machines),
    // after a PROFILE column then padded to its width.
    bool hosts = std::any_of(cluster.nodes.begin(), cluster.nodes.end(),
                             [](const NodeInfo& node) { return !node.host.empty(); });
    char line[320];
    auto last_columns = [&](const std::string& profile, const std::string& host) {
        if (!hosts) return profile + "\n";
        snprintf(line, sizeof line, "%-16s %s\n", profile.c_str(), host.c_str());
        return std::string(line);
    };
    snprintf(line, sizeof line, "%-6s %-24s %-10s %-15s %-10s %-8s ", "ID", "NAME", "STATUS", "IP",
             "LOCAL PORT", "TYPE");
    out << line << last_columns("PROFILE", "HOST");
    for (const auto& node : cluster.nodes) {
        snprintf(line, sizeof line, "%-6d %-24s %-10s %-15s %-10d %-8s ", node.id,
                 node.name.c_str(), to_string(node.status), node.ip.c_str(), node.local_port,
                 to_string(node.type));
        out << line << last_columns(node.profile, node.host);
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
