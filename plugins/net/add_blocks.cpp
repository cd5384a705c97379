#include <cstdio>

#include "atomixtest/error.hpp"
#include "net_verbs.hpp"
#include "nft_partition.hpp"
#include "probe/pair_probe.hpp"

namespace atomixtest::net {

namespace {

std::string pairs_text(const std::vector<Block>& pairs, size_t shown = 6) {
    std::string text;
    for (size_t i = 0; i < pairs.size() && i < shown; ++i) {
        text += (i ? " " : "") + std::to_string(pairs[i].from) + "->" + std::to_string(pairs[i].to);
    }
    if (pairs.size() > shown) text += " ...";
    return text;
}

std::string milliseconds_text(std::chrono::microseconds took) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(took.count()) / 1000);
    return text;
}

// The partition's proof: its cut pairs drop a probe, the open pairs pass
// one. What fails is named; the caller undoes the change.
std::string check_in_force(FaultContext& context, const BlockSet& wanted,
                           const BlockSet& in_force) {
    auto open = open_pairs(in_force, context.cluster.node_ids());
    auto probe = probe_pairs(context.backend, context.cluster, wanted, open);
    std::vector<Block> leaked, passed;
    for (const auto& pair : wanted) {
        if (probe.arrived.count(pair)) leaked.push_back(pair);
    }
    for (const auto& pair : open) {
        if (probe.arrived.count(pair)) passed.push_back(pair);
    }
    if (!leaked.empty()) {
        throw Error(ErrorKind::Unavailable,
                    "the partition is not in force: probes crossed cut pairs (" +
                        pairs_text(leaked) + "); it was undone");
    }
    if (!open.empty() && passed.empty()) {
        throw Error(ErrorKind::Unavailable,
                    "no probe passed between nodes that may talk (" + pairs_text(open) +
                        "): the cluster's network does not carry packets; the partition was "
                        "undone");
    }
    std::vector<Block> cut(wanted.begin(), wanted.end());
    return "probes dropped on " + std::to_string(cut.size()) + " cut pairs (" + pairs_text(cut) +
           "), passed on " + std::to_string(passed.size()) + " of " + std::to_string(open.size()) +
           " open pairs, in " + milliseconds_text(probe.took);
}

}  // namespace

std::optional<Undo> add_blocks(FaultContext& context, const BlockSet& wanted) {
    for (const auto& block : wanted) {
        context.cluster.node(block.from);  // NotFound before anything is applied
        context.cluster.node(block.to);
    }
    // Read once: what is in force, and what the change starts from.
    auto tables = read_tables(context.backend, context.cluster);
    auto in_force = blocks_in(context.cluster, tables);
    BlockSet added;
    for (const auto& block : wanted) {
        if (!in_force.count(block)) added.insert(block);
    }
    if (!added.empty()) apply_blocks(context.backend, context.cluster, added, true, tables);
    if (!wanted.empty()) {
        in_force.insert(added.begin(), added.end());
        try {
            context.verified(check_in_force(context, wanted, in_force));
        } catch (...) {
            if (!added.empty()) apply_blocks(context.backend, context.cluster, added, false);
            throw;
        }
    }
    return Undo{"unblock", {{"blocks", blocks_to_json(added)}}};
}

Param node_param(const std::string& name, const std::string& help, AbsentNodes absent,
                 bool required) {
    return {.name = name,
            .type = ParamType::Node,
            .help = help,
            .required = required,
            .absent = absent};
}

}  // namespace atomixtest::net
