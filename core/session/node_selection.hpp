// How a Node or Nodes param names nodes, in one rule for every verb: an id, a
// list of ids (Nodes), or a selector: `random` (one node drawn from the run's
// seed), `leader` (the node the system says leads, asked when the fault is
// applied), and for Nodes also `all`, `minority` and `majority` (a random
// subset of fewer than half, or more than half, of the nodes, drawn from the
// seed, as Jepsen's nemeses draw them) and `followers` (all but the leader).
// Absent, it means what the verb declares (AbsentNodes: every node, every
// running node, a random node, or left to the plugin). The door resolves all
// of it to ids before a plugin sees the params.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest {

// The selectors a param of this type takes besides ids.
std::vector<std::string> node_selectors(ParamType type);

// What is wrong with the value, or "" (ids are checked against `known` when
// the caller knows the cluster's ids: a scenario being loaded, a live cluster).
std::string node_value_issue(const Param& param, const nlohmann::json& value,
                             const std::vector<int>* known);

// The same for groups of nodes ([[1, 2], [2, 3]]): every id checked.
std::string node_groups_issue(const nlohmann::json& value, const std::vector<int>* known);

// The command line's groups: JSON ("[[1,2],[2,3]]") or ids with commas and
// groups with slashes ("1,2/2,3"); other text is kept for the check to refuse.
nlohmann::json node_groups_from_words(const std::string& text);

// The groups as the plugin gets them: each group's ids sorted, once each.
// Throws NotFound for an id the cluster lacks.
nlohmann::json resolve_node_groups(const nlohmann::json& value, const ClusterInfo& cluster);

struct NodeChoice {
    std::vector<int> ids;
    bool drawn = false;  // a random choice was made (the seed must be printed)
};

// Who leads the cluster now (a node id), asked of the system only when a
// selector needs it. Throws Error when the system cannot say.
using LeaderOracle = std::function<int()>;

// The ids the value (nullptr: absent) names on the cluster as it is now.
// Throws NotFound for an id the cluster lacks; BadInput for `leader` when no
// oracle is given (the profile says nothing of how to find the leader).
NodeChoice resolve_nodes(const Param& param, const nlohmann::json* value,
                         const ClusterInfo& cluster, std::mt19937_64& random,
                         const LeaderOracle& leader = {});

}  // namespace atomixtest
