// How blocks become nftables rules inside each node's network namespace. Each
// node gets one table, `inet atomix_test`, tagged with the cluster's name, with
// two address sets: peers whose packets it must not send (blocked_out) and
// peers whose packets it must not accept (blocked_in). A block from A to B is
// enforced at both ends (B in A's blocked_out, A in B's blocked_in), so it holds
// even while one of the two namespaces is being rebuilt. Changing a partition
// is one atomic nft transaction per node.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/cluster.hpp"
#include "block.hpp"

namespace atomixtest::net {

constexpr const char* kTable = "atomix_test";

// What one node's table holds (a node without the table blocks nothing).
struct NodeTables {
    bool has_table = false;
    std::set<std::string> blocked_out, blocked_in;
};

std::map<int, NodeTables> read_tables(Backend& backend, const ClusterInfo& cluster);

// Per node, the nft script that adds (or deletes) its part of the blocks, given
// what the nodes hold now: the table is created where missing, and only
// elements that exist are deleted.
std::map<int, std::string> nft_scripts(const ClusterInfo& cluster, const BlockSet& blocks, bool add,
                                       const std::map<int, NodeTables>& tables);

// Reads the blocks in force from every node's table; a block counts while
// either of its halves holds.
BlockSet read_blocks(Backend& backend, const ClusterInfo& cluster);

// The blocks the tables hold.
BlockSet blocks_in(const ClusterInfo& cluster, const std::map<int, NodeTables>& tables);

// Applies the blocks' rules on all nodes at once; if any node fails, undoes the
// nodes that succeeded and throws naming the failure. `tables`: what the
// nodes hold now, when the caller has just read them.
void apply_blocks(Backend& backend, const ClusterInfo& cluster, const BlockSet& blocks, bool add);
void apply_blocks(Backend& backend, const ClusterInfo& cluster, const BlockSet& blocks, bool add,
                  const std::map<int, NodeTables>& tables);

// Removes the table from every node.
void clear_blocks(Backend& backend, const ClusterInfo& cluster);

}  // namespace atomixtest::net
