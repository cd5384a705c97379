// A backend that keeps its clusters in memory (as ninja's VirtualFileSystem
// stands in for a disk): the engine, `during:`, undo on failure and on
// interrupt, the one door and the nemesis run against it as unit tests, with
// neither root nor a cluster, in milliseconds. Every call is written to
// `calls`, so a test can assert what was done and in which order. A fake,
// named as one: the real backends are tested on real clusters.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/error.hpp"

namespace atomixtest::testing {

class FakeBackend : public Backend {
  public:
    std::vector<std::string> calls;

    ClusterInfo setup(const ClusterSpec& spec, const Profile& profile) override {
        std::lock_guard lock(mutex_);
        ClusterInfo info{spec.name, "fake", profile.name, "10.0.0.0/24", {}};
        for (int id = 1; id <= spec.nodes; ++id)
            info.nodes.push_back(node(spec.name, id, profile.name));
        clusters_[spec.name] = info;
        calls.push_back("setup " + spec.name);
        return info;
    }
    void teardown(const std::string& cluster) override {
        std::lock_guard lock(mutex_);
        clusters_.erase(cluster);
        calls.push_back("teardown " + cluster);
    }
    std::vector<std::string> list() override {
        std::lock_guard lock(mutex_);
        std::vector<std::string> names;
        for (const auto& [name, info] : clusters_) names.push_back(name);
        return names;
    }
    ClusterInfo describe(const std::string& cluster) override {
        std::lock_guard lock(mutex_);
        auto it = clusters_.find(cluster);
        if (it == clusters_.end()) throw not_found("no fake cluster " + cluster);
        return it->second;
    }
    std::string node_action(const std::string& cluster, int id, NodeAction action) override {
        std::lock_guard lock(mutex_);
        auto& node = find(cluster, id);
        node.status = action == NodeAction::Kill    ? NodeStatus::Dead
                      : action == NodeAction::Stop  ? NodeStatus::Stopped
                      : action == NodeAction::Pause ? NodeStatus::Paused
                                                    : NodeStatus::Running;
        calls.push_back(std::string(to_string(action)) + " " + std::to_string(id));
        return "";
    }
    std::string logs(const std::string&, int) override { return ""; }
    NodeInfo add_node(const std::string& cluster, const Profile& profile) override {
        std::lock_guard lock(mutex_);
        auto& info = clusters_.at(cluster);
        int id = info.nodes.empty() ? 1 : info.nodes.back().id + 1;
        info.nodes.push_back(node(cluster, id, profile.name));
        calls.push_back("add " + std::to_string(id));
        return info.nodes.back();
    }
    void remove_node(const std::string& cluster, int id) override {
        std::lock_guard lock(mutex_);
        find(cluster, id);
        std::erase_if(clusters_.at(cluster).nodes, [id](const NodeInfo& n) { return n.id == id; });
        calls.push_back("remove " + std::to_string(id));
    }
    CommandResult execute_in_node(const std::string&, int node, const std::vector<std::string>&,
                                  bool) override {
        return {node, 0, "", ""};
    }
    std::string network_namespace(const std::string&, int node) override {
        return "/fake/netns/" + std::to_string(node);
    }
    int node_pid(const std::string&, int node) override { return 100000 + node; }
    std::vector<std::string> remove_leftovers(const std::vector<std::string>&, bool) override {
        return {};
    }
    std::vector<CommandResult> run_in_nodes(const std::string&,
                                            const std::vector<NodeCommand>& commands) override {
        std::vector<CommandResult> results;
        for (const auto& command : commands) results.push_back({command.node, 0, "", ""});
        return results;
    }

  private:
    static NodeInfo node(const std::string& cluster, int id, const std::string& profile) {
        return {id,
                cluster + "-" + std::to_string(id),
                NodeStatus::Running,
                "10.0.0." + std::to_string(10 + id),
                0,
                NodeType::Server,
                profile};
    }
    NodeInfo& find(const std::string& cluster, int id) {
        for (auto& node : clusters_.at(cluster).nodes) {
            if (node.id == id) return node;
        }
        throw not_found("cluster " + cluster + " has no node " + std::to_string(id));
    }

    std::mutex mutex_;
    std::map<std::string, ClusterInfo> clusters_;
};

}  // namespace atomixtest::testing
