#include "atomixtest/cluster.hpp"

#include <regex>

#include "atomixtest/error.hpp"

namespace atomixtest {

const NodeInfo& ClusterInfo::node(int id) const {
    for (const auto& candidate : nodes) {
        if (candidate.id == id) return candidate;
    }
    std::string known;
    for (const auto& candidate : nodes) {
        known += (known.empty() ? "" : ", ") + std::to_string(candidate.id);
    }
    throw not_found("cluster " + name + " has no node " + std::to_string(id) +
                    " (its nodes: " + known + ")");
}

std::vector<int> ClusterInfo::node_ids() const {
    std::vector<int> ids;
    for (const auto& node : nodes) ids.push_back(node.id);
    return ids;
}

nlohmann::json to_json(const NodeInfo& node) {
    return {{"id", node.id},
            {"name", node.name},
            {"status", to_string(node.status)},
            {"ip", node.ip},
            {"local_port", node.local_port},
            {"type", to_string(node.type)},
            {"profile", node.profile},
            {"host", node.host},
            {"own_ip", node.own_ip}};
}

std::vector<std::string> addresses_of(const NodeInfo& node) {
    std::vector<std::string> addresses = {node.ip};
    if (!node.own_ip.empty() && node.own_ip != node.ip) addresses.push_back(node.own_ip);
    return addresses;
}

void validate_cluster_name(const std::string& name) {
    // Docker's container-name alphabet, short enough for namespace and
    // interface-derived names.
    static const std::regex allowed("[a-z0-9][a-z0-9_.-]{0,39}");
    // The length first: std::regex recurses per character.
    if (name.size() > 40 || !std::regex_match(name, allowed)) {
        throw bad_input("invalid cluster name '" + name.substr(0, 60) +
                        "': use 1-40 characters of a-z, 0-9, '_', '.', '-', starting with a "
                        "letter or digit");
    }
}

}  // namespace atomixtest
