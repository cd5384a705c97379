// Network: the net plugin's verbs, as `atomix-test cluster NAME partition ...`.
#include "atomixtest/testing/network.hpp"

#include "testing/cluster_core.hpp"
#include "testing/fault_params.hpp"

namespace atomixtest {

namespace {

std::optional<int> id_of(detail::ClusterCore& core, const std::optional<NodeRef>& node) {
    if (!node) return std::nullopt;
    return core.resolve(*node);
}

}  // namespace

// {"local": A, "remote": B} for the pair shapes.
nlohmann::json Network::pair(const NodeRef& local, const std::optional<NodeRef>& remote) const {
    Params params = {{"local", core_->resolve(local)}};
    if (remote) params["remote"] = core_->resolve(*remote);
    return params;
}

// {"node": N}, or {} to let the plugin draw the node from the cluster's seed.
nlohmann::json Network::maybe_node(const std::optional<NodeRef>& node) const {
    return detail::with_node(nlohmann::json::object(), id_of(*core_, node));
}

FaultGuard Network::partition(const NodeRef& local, const std::optional<NodeRef>& remote) const {
    return core_->fault("net.partition", pair(local, remote));
}
FaultGuard Network::bipartition(const NodeRef& local, const std::optional<NodeRef>& remote) const {
    return core_->fault("net.bipartition", pair(local, remote));
}
FaultGuard Network::unipartition(const NodeRef& local, const std::optional<NodeRef>& remote) const {
    return core_->fault("net.unipartition", pair(local, remote));
}

void Network::heal(const std::optional<NodeRef>& local,
                   const std::optional<NodeRef>& remote) const {
    Params params = nlohmann::json::object();
    if (local) params["local"] = core_->resolve(*local);
    if (remote) params["remote"] = core_->resolve(*remote);
    core_->apply("net.heal", params);
}

FaultGuard Network::partition_halves() const {
    return core_->fault("net.halves", nlohmann::json::object());
}
FaultGuard Network::partition_random() const {
    return core_->fault("net.random", nlohmann::json::object());
}
FaultGuard Network::partition_bridge(const std::optional<NodeRef>& node) const {
    return core_->fault("net.bridge", maybe_node(node));
}
FaultGuard Network::partition_isolate(const std::optional<NodeRef>& node) const {
    return core_->fault("net.isolate", maybe_node(node));
}

FaultGuard Network::partition_groups(const std::vector<std::vector<int>>& groups,
                                     bool one_way) const {
    return core_->fault("net.partition", {{"groups", groups}, {"uni", one_way}});
}
FaultGuard Network::partition_ring(const std::vector<int>& order) const {
    Params params = nlohmann::json::object();
    if (!order.empty()) params["order"] = order;
    return core_->fault("net.ring", params);
}

FaultGuard Network::rate(const RateOptions& options) const {
    return core_->fault("net.rate", detail::rate_params(options));
}
FaultGuard Network::rate(const NodeRef& node, const RateOptions& options) const {
    return core_->fault("net.rate",
                        detail::with_node(detail::rate_params(options), core_->resolve(node)));
}

FaultGuard Network::delay(const DelayOptions& options) const {
    return core_->fault("net.delay", detail::delay_params(options));
}
FaultGuard Network::delay(const NodeRef& node, const DelayOptions& options) const {
    return core_->fault("net.delay",
                        detail::with_node(detail::delay_params(options), core_->resolve(node)));
}
FaultGuard Network::drop(const DropOptions& options) const {
    return core_->fault("net.drop", detail::drop_params(options));
}
FaultGuard Network::drop(const NodeRef& node, const DropOptions& options) const {
    return core_->fault("net.drop",
                        detail::with_node(detail::drop_params(options), core_->resolve(node)));
}
FaultGuard Network::reorder(const ReorderOptions& options) const {
    return core_->fault("net.reorder", detail::reorder_params(options));
}
FaultGuard Network::reorder(const NodeRef& node, const ReorderOptions& options) const {
    return core_->fault("net.reorder",
                        detail::with_node(detail::reorder_params(options), core_->resolve(node)));
}
FaultGuard Network::duplicate(const DuplicateOptions& options) const {
    return core_->fault("net.duplicate", detail::duplicate_params(options));
}
FaultGuard Network::duplicate(const NodeRef& node, const DuplicateOptions& options) const {
    return core_->fault("net.duplicate",
                        detail::with_node(detail::duplicate_params(options), core_->resolve(node)));
}
FaultGuard Network::corrupt(const CorruptOptions& options) const {
    return core_->fault("net.corrupt", detail::corrupt_params(options));
}
FaultGuard Network::corrupt(const NodeRef& node, const CorruptOptions& options) const {
    return core_->fault("net.corrupt",
                        detail::with_node(detail::corrupt_params(options), core_->resolve(node)));
}

void Network::restore(const std::optional<NodeRef>& node) const {
    core_->apply("net.restore", maybe_node(node));
}

}  // namespace atomixtest
