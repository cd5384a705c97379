#include "disk_nodes.hpp"

#include <chrono>
#include <map>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"
#include "control_channel.hpp"
#include "mount/lazy_mount.hpp"
#include "node_disk_tool.hpp"

namespace atomixtest::disk {

namespace {

constexpr auto kControlTimeout = std::chrono::seconds(30);

Error no_lazy_disk(const std::string& cluster, int node) {
    return bad_input("node " + std::to_string(node) + " of " + cluster +
                     " has no lazy disk: set the cluster up with --disk lazy, or with a profile "
                     "that says disk: {lazy: true}");
}

// The daemons tagged with the cluster, found on this machine once (a scan
// of /proc) for the operation this object serves.
class LocalDaemons : public DiskNodes {
  public:
    explicit LocalDaemons(const ClusterInfo& cluster) : cluster_(cluster) {
        for (const auto& daemon : disk_daemons()) {
            if (daemon.cluster == cluster.name && daemon.backend == cluster.backend) {
                controls_[daemon.node] = daemon.control;
            }
        }
    }

    nlohmann::json ask(int node, const nlohmann::json& request) override {
        auto control = controls_.find(node);
        if (control == controls_.end()) throw no_lazy_disk(cluster_.name, node);
        return call_control(control->second, request, kControlTimeout);
    }

    std::vector<int> nodes() override {
        std::vector<int> found;
        for (const auto& [node, control] : controls_) found.push_back(node);
        return found;
    }

  private:
    const ClusterInfo& cluster_;
    std::map<int, std::string> controls_;  // by node
};

// The node disk tool beside each node, on its machine: it relays a request
// and prints the reply as it came.
class DaemonsBesideNodes : public DiskNodes {
  public:
    DaemonsBesideNodes(Backend& backend, const ClusterInfo& cluster)
        : backend_(backend), cluster_(cluster), program_(plugin_program(kNodeDiskProgram)) {}

    nlohmann::json ask(int node, const nlohmann::json& request) override {
        if (cluster_.disk != "lazy") throw no_lazy_disk(cluster_.name, node);
        NodeCommand command{
            .node = node, .argv = {program_, "control", request.dump()}, .beside_node = true};
        auto result = backend_.run_in_nodes(cluster_.name, {command}).at(0);
        if (result.exit_code == kNodeDiskNoDaemon) {
            throw Error(ErrorKind::Unavailable,
                        "the lazy disk of node " + std::to_string(node) +
                            " does not answer on its machine: " + result.err);
        }
        if (result.exit_code != 0) {
            throw environment_error("the node disk tool beside node " + std::to_string(node) +
                                    " failed (exit " + std::to_string(result.exit_code) +
                                    "): " + result.err);
        }
        return checked_reply(nlohmann::json::parse(result.out));
    }

    std::vector<int> nodes() override {
        std::vector<int> ids;
        if (cluster_.disk != "lazy") return ids;
        for (const auto& node : cluster_.nodes) ids.push_back(node.id);
        return ids;
    }

  private:
    Backend& backend_;
    const ClusterInfo& cluster_;
    std::string program_;
};

}  // namespace

std::unique_ptr<DiskNodes> disk_nodes(FaultContext& context) {
    if (context.backend.reaches_nodes_in_process(context.cluster.name)) {
        return std::make_unique<LocalDaemons>(context.cluster);
    }
    return std::make_unique<DaemonsBesideNodes>(context.backend, context.cluster);
}

}  // namespace atomixtest::disk
