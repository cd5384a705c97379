// The `kubernetes` backend: every node a pod in the cluster's own namespace
// (atomix-test-CLUSTER), addressed by a Service of its own, spread over the
// Kubernetes nodes; LOCAL PORTs forwarded through the API server. Which
// Kubernetes: ATOMIX_TEST_KUBECONFIG (--kubeconfig), else KUBECONFIG, else
// ~/.kube/config; ATOMIX_TEST_KUBE_CONTEXT (--context), else the current one.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "api/api_client.hpp"
#include "api/pod_exec.hpp"
#include "atomixtest/backend.hpp"
#include "kube_objects.hpp"
#include "kube_registry.hpp"
#include "kube_state.hpp"

namespace atomixtest::kube {

// The cluster's state dir: the relay's log, and the data dirs of its pods
// on Kubernetes nodes that are this machine's.
std::filesystem::path cluster_dir(const std::string& cluster);

// A free port on 127.0.0.1 that `taken` (the cluster's LOCAL PORTs) lacks.
int local_port_not_in(const std::vector<int>& taken);

class KubeBackend : public Backend {
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
    bool reaches_nodes_in_process(const std::string& cluster) override;

  private:
    ApiClient& api();
    // Whether a kubeconfig is there to be read: without one there is no
    // Kubernetes to list clusters of.
    bool configured();
    std::vector<std::string> ready_hosts();
    // The image's reference: pushed to the registry, or (none named)
    // imported into the hosts' containerd.
    std::string image_for(const Profile& profile, const std::vector<std::string>& hosts,
                          const Registry& registry);
    // --registry, --registry-ca, --registry-auth (ATOMIX_TEST_KUBE_REGISTRY*):
    // where a new cluster's images go; registry_of: where an existing
    // cluster's went, its credentials read back from its Secret.
    static Registry registry_asked();
    Registry registry_of(const KubeCluster& state);
    void keep_registry_credentials(const std::string& cluster, const Registry& registry);
    void wait_for_service_account(const std::string& ns);
    void mount_node_disk(const std::string& cluster, const KubeNodePlan& node);
    // The node's dir on its Kubernetes node, or every node's of the cluster
    // (its namespace's UID), unmounted and removed: through the agent, or
    // here for scripts/kube's nodes.
    void remove_node_dir(const KubeCluster& state, const KubeNode& node);
    void remove_node_dirs_through_agents(const KubeCluster& state);
    // `atomixtest-node-agent remove-dir DIR` on that Kubernetes node.
    void remove_dir_through_agent(const KubeCluster& state, const std::string& host,
                                  const std::string& dir);
    void create_pods(const std::string& cluster, const std::vector<KubeNodePlan>& nodes,
                     const Profile& profile, const std::string& image);
    void start_relay(const KubeCluster& cluster);
    void wait_ready(const std::string& cluster, const Profile& profile,
                    const std::vector<KubeNodePlan>& nodes);
    void wait_until_reported_running(const std::string& cluster);
    MemberAddress create_service(const std::string& cluster, int id, const Profile& profile,
                                 int local_port, const std::string& host);
    // What its pods are made with: the cluster's name, its namespace's UID
    // when their dirs are behind the node agent, and whether they pull with
    // the registry's credentials.
    struct PodsOf {
        std::string cluster;
        std::string agent_ns_uid;
        bool pull_secret = false;
    };
    KubeNodePlan plan_node(const PodsOf& pods, const Profile& profile, const MemberAddress& node,
                           const std::vector<MemberAddress>& members, const std::string& host,
                           int local_port, const std::string& cluster_state);
    static PodsOf pods_of(const KubeCluster& state);
    // kube_node_lifecycle.cpp: stop (the pod deleted, its data dir kept) and
    // start (the pod made again where its data is).
    std::string stop_node(const KubeCluster& state, const KubeNode& node);
    std::string start_node(const KubeCluster& state, const KubeNode& node);
    void delete_pod(const KubeCluster& state, const KubeNode& node, int grace_seconds);
    std::vector<MemberAddress> servers_of(const KubeCluster& state);
    void replace_relay(const std::string& cluster);
    // A process of the node's pod on this machine (its sandbox's), see
    // kube_runtime.hpp; cached while it stays the pod's.
    int pod_pid_of(const std::string& cluster, int node);
    std::string runtime_of(const KubeNode& node, NodeAction action);

    // kube_agent_access.cpp: the node agent. Asked for by --node-agent
    // (ATOMIX_TEST_KUBE_NODE_AGENT=1), else used when a Kubernetes node's
    // processes are not this machine's.
    static bool wants_node_agent();
    void install_agent(const std::string& cluster, const std::vector<std::string>& hosts,
                       const Registry& registry);
    void wait_for_agents(const std::string& cluster);
    std::string agent_pod_on(const std::string& cluster, const std::string& host);
    void check_agent_version(const std::string& cluster);
    void forget_agent_pods(const std::string& cluster);
    PodExecResult exec_in_agent(const KubeCluster& state, const KubeNode& node,
                                const std::vector<std::string>& argv, const std::string& input);
    // The agent's pod on that Kubernetes node, whatever the cluster's pods.
    PodExecResult exec_on_host(const std::string& cluster, const std::string& host,
                               const std::vector<std::string>& argv, const std::string& input);
    std::vector<CommandResult> run_through_agents(const KubeCluster& state,
                                                  const std::vector<NodeCommand>& commands);
    std::string signal_through_agent(const KubeCluster& state, const KubeNode& node,
                                     const std::string& signal);
    std::string freeze_through_agent(const KubeCluster& state, const KubeNode& node, bool freeze);

    // containerd_socket_of, cached by Kubernetes node.
    std::string runtime_socket(const std::string& host);
    // read_cluster, at most 200 ms old (forget_state: read it again next time).
    KubeCluster cluster_state(const std::string& cluster);
    void forget_state(const std::string& cluster);
    std::once_flag api_made_;
    std::mutex sockets_mutex_;
    std::map<std::string, std::string> runtime_sockets_;
    struct PodPid {
        std::string uid;
        int pid = 0;
    };
    struct StateRead {
        KubeCluster state;
        std::chrono::steady_clock::time_point read_at;
    };
    std::mutex states_mutex_;
    std::map<std::string, StateRead> states_;
    std::mutex pods_mutex_;
    std::map<std::string, PodPid> pod_pids_;  // by CLUSTER/NODE
    std::mutex agents_mutex_;
    std::map<std::string, std::string> agent_pods_;  // by CLUSTER/HOST
    std::set<std::string> agents_checked_;           // clusters whose agent's build was checked
    std::unique_ptr<ApiClient> api_;
};

}  // namespace atomixtest::kube
