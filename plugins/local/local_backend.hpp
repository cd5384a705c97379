// The `local` backend: every node a process in its own network namespace on
// this machine, owned by a per-cluster supervisor (see supervisor/main.cpp).
#pragma once

#include "atomixtest/backend.hpp"

namespace atomixtest::local {

class LocalBackend : public Backend {
  public:
    ClusterInfo setup(const ClusterSpec& spec, const Profile& profile) override;
    void teardown(const std::string& cluster) override;
    std::vector<std::string> list() override;
    ClusterInfo describe(const std::string& cluster) override;
    std::string node_action(const std::string& cluster, int node, NodeAction action) override;
    std::string logs(const std::string& cluster, int node) override;
    NodeInfo add_node(const std::string& cluster, const Profile& profile) override;
    void remove_node(const std::string& cluster, int node) override;
    CommandResult execute_in_node(const std::string& cluster, int node,
                                  const std::vector<std::string>& argv, bool detached) override;
    std::string network_namespace(const std::string& cluster, int node) override;
    int node_pid(const std::string& cluster, int node) override;
    std::vector<std::string> remove_leftovers(const std::vector<std::string>& in_use,
                                              bool dry_run) override;
    std::vector<CommandResult> run_in_nodes(const std::string& cluster,
                                            const std::vector<NodeCommand>& commands) override;
};

}  // namespace atomixtest::local
