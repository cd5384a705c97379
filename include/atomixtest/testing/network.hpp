// The cluster's network: the original tool's Network. Every partition and
// netem fault returns a guard that undoes exactly it; heal and restore act
// on whatever is in force.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "atomixtest/testing/fault_guard.hpp"
#include "atomixtest/testing/node_ref.hpp"
#include "atomixtest/testing/options.hpp"

namespace atomixtest {

namespace detail {
class ClusterCore;
}

class Network {
  public:
    explicit Network(std::shared_ptr<detail::ClusterCore> core) : core_(std::move(core)) {}

    // local cannot reach remote, nor remote local (every other node when
    // remote is absent). partition and bipartition are the same.
    FaultGuard partition(const NodeRef& local, const std::optional<NodeRef>& remote = {}) const;
    FaultGuard bipartition(const NodeRef& local, const std::optional<NodeRef>& remote = {}) const;
    // Only local's packets to remote are dropped; the reverse flows.
    FaultGuard unipartition(const NodeRef& local, const std::optional<NodeRef>& remote = {}) const;
    // Heals local-remote, all of local's partitions, or (no node) every one.
    void heal(const std::optional<NodeRef>& local = {},
              const std::optional<NodeRef>& remote = {}) const;

    FaultGuard partition_halves() const;  // ids 1..n/2 against the rest
    FaultGuard partition_random() const;  // a node drawn from the cluster's seed, isolated
    // Two halves of the other nodes; the bridge node (absent: drawn) sees both.
    FaultGuard partition_bridge(const std::optional<NodeRef>& node = {}) const;
    // One node (absent: drawn) cut from every other.
    FaultGuard partition_isolate(const std::optional<NodeRef>& node = {}) const;
    // Two nodes talk if and only if they share a group: {{1, 2}, {2, 3}}
    // lets 2 talk to both while 1 and 3 cannot. one_way: only the packets
    // from a group to the later ones are dropped.
    FaultGuard partition_groups(const std::vector<std::vector<int>>& groups,
                                bool one_way = false) const;
    // Jepsen's majorities ring over the nodes in this order (empty: id order).
    FaultGuard partition_ring(const std::vector<int>& order = {}) const;

    // netem on every node's outgoing packets, or one node's.
    FaultGuard delay(const DelayOptions& options = {}) const;
    FaultGuard delay(const NodeRef& node, const DelayOptions& options = {}) const;
    FaultGuard drop(const DropOptions& options = {}) const;
    FaultGuard drop(const NodeRef& node, const DropOptions& options = {}) const;
    FaultGuard reorder(const ReorderOptions& options = {}) const;
    FaultGuard reorder(const NodeRef& node, const ReorderOptions& options = {}) const;
    FaultGuard duplicate(const DuplicateOptions& options = {}) const;
    FaultGuard duplicate(const NodeRef& node, const DuplicateOptions& options = {}) const;
    FaultGuard corrupt(const CorruptOptions& options = {}) const;
    FaultGuard corrupt(const NodeRef& node, const CorruptOptions& options = {}) const;
    // A bandwidth on every node's outgoing packets, or one node's.
    FaultGuard rate(const RateOptions& options) const;
    FaultGuard rate(const NodeRef& node, const RateOptions& options) const;
    void restore(const std::optional<NodeRef>& node = {}) const;

  private:
    nlohmann::json pair(const NodeRef& local, const std::optional<NodeRef>& remote) const;
    nlohmann::json maybe_node(const std::optional<NodeRef>& node) const;
    std::shared_ptr<detail::ClusterCore> core_;
};

}  // namespace atomixtest
