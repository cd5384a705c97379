// The net plugin's actions, one per file; net_plugin.cpp wires them by name.
#pragma once

#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "atomixtest/fault.hpp"
#include "block.hpp"

namespace atomixtest::net {

struct Action {
    VerbSpec spec;
    std::function<std::optional<Undo>(const Params&, FaultContext&)> run;
};

Action unisolate_action();
Action partition_action();
Action heal_action();
Action unblock_action();
// unipartition, bipartition, halves, bridge, random, isolate
std::vector<Action> shape_actions();
// delay, drop, reorder, duplicate, corrupt, restore
std::vector<Action> netem_actions();
// The netem settings of every node that has some.
nlohmann::json netem_in_force(FaultContext& context);

// partition's blocks: local against remote (or every other node), `uni` or both ways.
BlockSet partition_blocks(const Params& params, FaultContext& context);

// Adds the blocks not yet in force; returns the undo that removes exactly those.
std::optional<Undo> add_blocks(FaultContext& context, const BlockSet& wanted);

// JSON Schema of a node id parameter.
nlohmann::json node_param(const std::string& description);

}  // namespace atomixtest::net
