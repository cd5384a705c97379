#include "cli/node_table.hpp"

#include <cstdio>

namespace atomixtest::cli {

void print_node_table(std::ostream& out, const ClusterInfo& cluster) {
    char line[256];
    snprintf(line, sizeof line, "%-6s %-24s %-10s %-15s %-10s %-8s %s\n", "ID", "NAME", "STATUS",
             "IP", "LOCAL PORT", "TYPE", "PROFILE");
    out << line;
    for (const auto& node : cluster.nodes) {
        snprintf(line, sizeof line, "%-6d %-24s %-10s %-15s %-10d %-8s %s\n", node.id,
                 node.name.c_str(), to_string(node.status), node.ip.c_str(), node.local_port,
                 to_string(node.type), node.profile.c_str());
        out << line;
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
