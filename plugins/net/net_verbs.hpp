// The net plugin's verbs, one family per file; net_plugin.cpp wires them by
// name. Each verb is its declaration (the params, with their defaults and
// help, the one place they are written) and the code that runs it on params
// the door has checked, completed and resolved to node ids.
#pragma once

#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "atomixtest/fault.hpp"
#include "block.hpp"

namespace atomixtest::net {

struct NetVerb {
    VerbSpec spec;
    std::function<std::optional<Undo>(const Params&, FaultContext&)> run;
};

NetVerb unisolate_verb();
NetVerb partition_verb();
NetVerb ring_verb();
NetVerb heal_verb();
NetVerb unblock_verb();
// unipartition, bipartition, halves, bridge, random, isolate
std::vector<NetVerb> shape_verbs();
// delay, drop, reorder, duplicate, corrupt, rate, unset, restore
std::vector<NetVerb> netem_verbs();
// The netem settings of every node that has some.
nlohmann::json netem_in_force(FaultContext& context);

// partition's blocks: local against remote (or every other node), `uni` or both ways.
BlockSet partition_blocks(const Params& params, FaultContext& context);

// Adds the blocks not yet in force; returns the undo that removes exactly those.
std::optional<Undo> add_blocks(FaultContext& context, const BlockSet& wanted);

// A param naming one node.
Param node_param(const std::string& name, const std::string& help, AbsentNodes absent,
                 bool required = false);

}  // namespace atomixtest::net
