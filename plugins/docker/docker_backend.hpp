// The `docker` backend: every node a container on the cluster's internal
// Docker network, beside a sidecar that holds its network namespace and runs
// the fault tools, all labelled so that Docker is the source of truth.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "atomixtest/backend.hpp"
#include "container_specs.hpp"
#include "docker_state.hpp"
#include "engine_api/engine_client.hpp"

namespace atomixtest::docker {

class DockerBackend : public Backend {
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

  private:
    EngineClient& engine();
    std::string pause_container(const std::string& path);
    std::string image_for(const Profile& profile);
    std::string tools_image();
    // Creates and starts the node's sidecar, then creates (not starts) the node,
    // its data dir first mounted as a lazy disk when the cluster asks for one.
    void create_node(const std::string& cluster, NodePlan node, const Profile& profile,
                     const std::string& image, double cpus, int64_t memory, bool lazy_disk);
    void start_nodes(const std::vector<NodePlan>& nodes, const Profile& profile);
    void replace_relay(const std::string& cluster);
    std::string logs_of_container(const std::string& name);
    void stop_helpers_of(const DockerNode& node);
    void remove_containers(const std::vector<std::string>& ids);
    void wait_ready(const std::string& cluster, const Profile& profile,
                    const std::vector<NodePlan>& nodes);

    // Images resolved by this process: a setup asks for each several times.
    std::string remembered_image(const std::string& key, const std::function<std::string()>& make);
    std::mutex images_mutex_;
    std::map<std::string, std::string> images_;

    std::once_flag engine_made_;
    std::unique_ptr<EngineClient> engine_;
};

}  // namespace atomixtest::docker
