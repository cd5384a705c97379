// How blocks become nftables rules inside each node's network namespace. Each
// node gets one table, `inet atomix_test`, tagged with the cluster's name, with
// two address sets: peers whose packets it must not send (blocked_out) and
// peers whose packets it must not accept (blocked_in). A block from A to B is
// enforced at both ends (B in A's blocked_out, A in B's blocked_in), so it holds
// even while one of the two namespaces is being rebuilt. Changing a partition
// is one atomic nft transaction per node.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/cluster.hpp"
#include "block.hpp"

namespace atomixtest::net {

constexpr const char* kTable = "atomix_test";

// Per node, the nft script that adds (or deletes) its part of the blocks.
std::map<int, std::string> nft_scripts(const ClusterInfo& cluster, const BlockSet& blocks,
                                       bool add);

// Reads the blocks in force from every node's table.
BlockSet read_blocks(Backend& backend, const ClusterInfo& cluster);

// Applies the scripts on all nodes at once; if any node fails, undoes the nodes
// that succeeded and throws naming the failure.
void apply_blocks(Backend& backend, const ClusterInfo& cluster, const BlockSet& blocks, bool add);

// Removes the table from every node.
void clear_blocks(Backend& backend, const ClusterInfo& cluster);

}  // namespace atomixtest::net
