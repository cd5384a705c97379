// Real clusters for tests written in C++: the original tool's create_cluster
// and Cluster. The cluster is torn down when the Cluster goes (unless kept),
// and until then it is this process's: if the process dies, `atomix-test gc`
// removes it.
//
//   auto cluster = atomixtest::create_cluster("etcd", {.nodes = 3});
//   cluster.node(2).map("test-map").put("foo", "bar");
//   {
//       auto isolated = cluster.node(1).isolate();
//       EXPECT_EQ(cluster.node(2).map("test-map").get("foo"), "bar");
//   }
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/testing/fault_guard.hpp"
#include "atomixtest/testing/network.hpp"
#include "atomixtest/testing/node.hpp"
#include "atomixtest/testing/options.hpp"

namespace atomixtest {

class Cluster {
  public:
    Cluster(Cluster&&) noexcept = default;
    Cluster& operator=(Cluster&&) noexcept;
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;
    ~Cluster();  // teardown(), unless kept; never throws

    const std::string& name() const;
    const std::string& backend() const;
    std::string profile() const;
    uint64_t seed() const;  // of the random choices
    // The cluster's files on this machine: nodes' data and logs (local), the
    // sidecars' sockets (docker).
    std::filesystem::path path() const;

    Network network() const;
    Node node(int id) const;                 // NotFound naming the ids there are
    Node node(std::string_view name) const;  // "CLUSTER-ID"
    // Every node, or those of a type, in id order.
    std::vector<Node> nodes(std::optional<NodeType> type = {}) const;
    std::vector<Node> servers() const { return nodes(NodeType::Server); }
    std::vector<Node> clients() const { return nodes(NodeType::Client); }

    // A node of the cluster's profile (Server), or of the `client` profile
    // (Client: Atomix's client node); returns once it is ready.
    Node add_node(NodeType type = NodeType::Server);
    Node add_node_of_profile(const std::string& profile);
    void remove_node(const NodeRef& node);

    // Any fault of any plugin, built in or of one's own, by its full name and
    // params as `atomix-test plugins` declares them; the guard undoes it:
    //   auto lowered = cluster.fault("priority.lower", {{"node", 1}, {"nice", 19}});
    // The params are checked as a scenario's are: Error(BadInput) naming the
    // param, before anything changes.
    FaultGuard fault(const std::string& verb, const nlohmann::json& params = {}) const;

    // stress-ng in every running node, or in one; the guard ends it.
    FaultGuard stress(const StressOptions& options) const;
    FaultGuard stress(const NodeRef& node, const StressOptions& options) const;
    void destress(const std::optional<NodeRef>& node = {}) const;

    // The faults in force, read from the nodes (as `atomix-test cluster NAME
    // faults --json`): a list of objects with "plugin", "type", "summary".
    nlohmann::json faults() const;

    // Hands the cluster to the user now: it outlives this object and this
    // process until `atomix-test cluster NAME teardown`.
    void keep();
    // Removes the cluster now (nodes, namespaces or containers, state dir).
    void teardown();

  private:
    friend Cluster create_cluster(const std::string& profile, const ClusterOptions& options);
    explicit Cluster(std::shared_ptr<detail::ClusterCore> core) : core_(std::move(core)) {}
    std::shared_ptr<detail::ClusterCore> core_;
};

// Sets a cluster of the profile (etcd, consensus, data-grid, ...) up and
// returns once every node is ready. Throws atomixtest::Error as the CLI's
// `cluster NAME setup` fails, leaving nothing behind.
Cluster create_cluster(const std::string& profile, const ClusterOptions& options = {});

}  // namespace atomixtest
