#include "session/node_selection.hpp"

#include <algorithm>
#include <iterator>

#include "atomixtest/error.hpp"
#include "util/random_draw.hpp"

namespace atomixtest {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string id_issue(int id, const std::vector<int>* known) {
    if (!known || std::find(known->begin(), known->end(), id) != known->end()) return "";
    std::string ids;
    for (int each : *known) ids += (ids.empty() ? "" : ", ") + std::to_string(each);
    return "the cluster has no node " + std::to_string(id) + " (its nodes: " + ids + ")";
}

std::vector<int> running_ids(const ClusterInfo& cluster) {
    std::vector<int> ids;
    for (const auto& node : cluster.nodes) {
        if (node.status == NodeStatus::Running) ids.push_back(node.id);
    }
    return ids;
}

int draw_one(const std::vector<int>& ids, std::mt19937_64& random, const std::string& what) {
    if (ids.empty()) throw bad_input("no node to draw " + what + " from");
    return ids[draw_uniform(random, 0, ids.size() - 1)];
}

}  // namespace

// Fisher-Yates with the portable draw: the first k of the shuffled ids.
std::vector<int> draw_subset(std::vector<int> ids, size_t k, std::mt19937_64& random) {
    for (size_t i = 0; i < ids.size() && i < k; ++i) {
        std::swap(ids[i], ids[draw_uniform(random, i, ids.size() - 1)]);
    }
    ids.resize(std::min(k, ids.size()));
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::string> node_selectors(ParamType type) {
    if (type == ParamType::Nodes) {
        return {"all", "random", "minority", "majority", "leader", "followers"};
    }
    return {"random", "leader"};
}

std::string node_value_issue(const Param& param, const nlohmann::json& value,
                             const std::vector<int>* known) {
    if (value.is_number_integer()) return id_issue(value.get<int>(), known);
    if (value.is_array()) {
        for (const auto& id : value) {
            if (!id.is_number_integer()) return "a list of node ids holds " + id.dump();
            if (auto issue = id_issue(id.get<int>(), known); !issue.empty()) return issue;
        }
        return "";
    }
    if (value.is_string()) {
        auto selectors = node_selectors(param.type);
        if (std::find(selectors.begin(), selectors.end(), value.get<std::string>()) !=
            selectors.end()) {
            return "";
        }
        return "unknown node selector " + value.dump() + " (a node id" +
               (param.type == ParamType::Nodes ? ", a list of ids" : "") + ", or " +
               join(selectors) + ")";
    }
    return "";  // the schema names the wrong type
}

std::string node_groups_issue(const nlohmann::json& value, const std::vector<int>* known) {
    for (const auto& group : value) {
        for (const auto& id : group) {
            if (!id.is_number_integer()) continue;  // the schema names it
            if (auto issue = id_issue(id.get<int>(), known); !issue.empty()) return issue;
        }
    }
    return "";
}

nlohmann::json node_groups_from_words(const std::string& text) {
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
    if (text.empty() || text.find_first_not_of("0123456789,/") != std::string::npos) return text;
    nlohmann::json groups = nlohmann::json::array();
    size_t start = 0;
    while (start <= text.size()) {
        auto slash = std::min(text.find('/', start), text.size());
        nlohmann::json group = nlohmann::json::array();
        for (size_t at = start; at < slash;) {
            auto comma = std::min(text.find(',', at), slash);
            auto id = text.substr(at, comma - at);
            if (id.empty() || id.size() > 9) return text;
            group.push_back(std::stoi(id));
            at = comma + 1;
        }
        groups.push_back(group);
        start = slash + 1;
    }
    return groups;
}

nlohmann::json resolve_node_groups(const nlohmann::json& value, const ClusterInfo& cluster) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& group : value) {
        std::vector<int> ids;
        for (const auto& id : group) ids.push_back(cluster.node(id.get<int>()).id);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        groups.push_back(ids);
    }
    return groups;
}

NodeChoice resolve_nodes(const Param& param, const nlohmann::json* value,
                         const ClusterInfo& cluster, std::mt19937_64& random,
                         const LeaderOracle& leader) {
    NodeChoice choice;
    auto all = cluster.node_ids();
    if (!value) {
        switch (param.absent) {
            case AbsentNodes::Left:
                return choice;
            case AbsentNodes::All:
                choice.ids = all;
                return choice;
            case AbsentNodes::Running:
                choice.ids = running_ids(cluster);
                return choice;
            case AbsentNodes::Random:
                choice.ids = {draw_one(all, random, "for " + param.name)};
                choice.drawn = true;
                return choice;
        }
    }
    if (value->is_string()) {
        auto selector = value->get<std::string>();
        auto ask_leader = [&] {
            if (!leader) {
                throw bad_input(param.name + ": `" + selector +
                                "` needs the system's leader, and the cluster's profile says "
                                "nothing of how to find it (`leader:` in the profile)");
            }
            return cluster.node(leader()).id;
        };
        if (selector == "all") choice.ids = all;
        if (selector == "random") {
            choice.ids = {draw_one(all, random, "for " + param.name)};
            choice.drawn = true;
        }
        if (selector == "minority" || selector == "majority") {
            size_t half = all.size() / 2;
            choice.ids =
                draw_subset(all, selector == "majority" ? half + 1 : (all.size() - 1) / 2, random);
            choice.drawn = true;
        }
        if (selector == "leader") choice.ids = {ask_leader()};
        if (selector == "followers") {
            int chief = ask_leader();
            std::copy_if(all.begin(), all.end(), std::back_inserter(choice.ids),
                         [chief](int id) { return id != chief; });
        }
        if (choice.ids.empty()) throw bad_input(param.name + ": `" + selector + "` names no node");
        return choice;
    }
    for (const auto& id : value->is_array() ? *value : nlohmann::json::array({*value})) {
        choice.ids.push_back(cluster.node(id.get<int>()).id);  // NotFound naming the nodes
    }
    std::sort(choice.ids.begin(), choice.ids.end());
    choice.ids.erase(std::unique(choice.ids.begin(), choice.ids.end()), choice.ids.end());
    return choice;
}

}  // namespace atomixtest
