// The backend's side of the node agent (kube_agent.hpp): installed with the
// cluster, found per Kubernetes node, and reached through the API server's
// exec, as `run` reaches a node: the cluster's own credentials and RBAC
// decide, nothing listens on a node, and it works wherever kubectl does.
#include <chrono>
#include <set>
#include <thread>

#include "agent/node_dirs.hpp"
#include "api/pod_exec.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "image/assembled_image.hpp"
#include "kube_agent.hpp"
#include "kube_backend.hpp"
#include "kube_images.hpp"
#include "kube_registry.hpp"
#include "labels.hpp"
#include "util/paths.hpp"

namespace atomixtest::kube {

namespace {

constexpr const char* kAgentSelector = "?labelSelector=atomix-test.io%2Frole%3Dagent";
// How long a node's agent may be away (replaced) before a fault there is
// refused.
constexpr std::chrono::seconds kAgentReturn(15);

}  // namespace

bool KubeBackend::wants_node_agent() {
    const char* choice = std::getenv("ATOMIX_TEST_KUBE_NODE_AGENT");
    return choice && std::string(choice) == "1";
}

// Refused in the cluster's own words before anything of the agent is made:
// a DaemonSet would be accepted and its pods refused only in its events.
void KubeBackend::install_agent(const std::string& cluster, const std::vector<std::string>& hosts,
                                const Registry& registry) {
    auto ns = namespace_of(cluster);
    auto files = agent_image_files();
    auto tag = image::assembled_image_tag("node-agent", files);
    auto image = registry.empty() ? tag : registry_reference(registry, tag);
    auto check = api().call("POST", path_of(ns, "pods") + "?dryRun=All",
                            agent_pod_body(cluster, image, !registry.auth.empty()).dump());
    if (check.status == 401 || check.status == 403 || check.status == 422 || check.status == 400) {
        auto reason =
            check.json().is_object() ? check.json().value("message", check.body) : check.body;
        throw bad_input(
            "the Kubernetes cluster refuses the node agent's pod (privileged, with "
            "the host's PID namespace) in namespace " +
            ns + ": " + reason + ". The agent needs privileged pods there (README: Real clusters)");
    }
    if (check.status / 100 != 2) {
        throw environment_error("the dry run of the node agent's pod got HTTP " +
                                std::to_string(check.status) + ": " + check.body);
    }
    if (registry.empty()) {
        ensure_image_on_hosts(api(), "node-agent", tag, files, hosts,
                              state_root() / "kubernetes" / ".images");
    } else {
        push_assembled_image(registry, "node-agent", tag, files);
    }
    api().post("/apis/apps/v1/namespaces/" + ns + "/daemonsets",
               agent_daemon_set_body(cluster, image, !registry.auth.empty()));
}

void KubeBackend::wait_for_agents(const std::string& cluster) {
    auto path = "/apis/apps/v1/namespaces/" + namespace_of(cluster) + "/daemonsets/" + kAgentName;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (true) {
        auto status = api().get(path).value("status", nlohmann::json::object());
        int wanted = status.value("desiredNumberScheduled", 0);
        int ready = status.value("numberReady", 0);
        if (wanted > 0 && ready == wanted) return;
        if (std::chrono::steady_clock::now() > deadline) {
            throw environment_error(
                "the node agent is ready on " + std::to_string(ready) + " of " +
                std::to_string(wanted) + " Kubernetes nodes after 60 s (kubectl -n " +
                namespace_of(cluster) + " describe daemonset " + kAgentName + ")");
        }
        throw_if_interrupted("waiting for the node agent");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// The agent's pod on a Kubernetes node, remembered while this process runs
// (asked again when it is not there: the DaemonSet replaced it).
std::string KubeBackend::agent_pod_on(const std::string& cluster, const std::string& host) {
    std::lock_guard lock(agents_mutex_);
    auto key = cluster + "/" + host;
    if (auto it = agent_pods_.find(key); it != agent_pods_.end()) return it->second;
    if (!agents_checked_.count(cluster)) {
        check_agent_version(cluster);
        agents_checked_.insert(cluster);
    }
    // An agent being replaced (a rollout, an eviction) is back within
    // seconds: waited for, rather than the fault refused.
    auto deadline = std::chrono::steady_clock::now() + kAgentReturn;
    while (true) {
        auto pods = api().get(path_of(namespace_of(cluster), "pods") + kAgentSelector);
        for (const auto& pod : pods.value("items", nlohmann::json::array())) {
            // Not one on its way out (the DaemonSet replacing it): its
            // container may be gone while its phase still says Running.
            const auto& status = pod.value("status", nlohmann::json::object());
            bool ready = status.value("phase", "") == "Running" &&
                         !pod["metadata"].contains("deletionTimestamp");
            for (const auto& container :
                 status.value("containerStatuses", nlohmann::json::array())) {
                ready = ready && container.value("ready", false);
            }
            if (!ready) continue;
            agent_pods_[cluster + "/" + pod["spec"].value("nodeName", "")] =
                pod["metadata"].value("name", "");
        }
        if (auto it = agent_pods_.find(key); it != agent_pods_.end()) return it->second;
        if (std::chrono::steady_clock::now() > deadline) {
            throw Error(ErrorKind::Unavailable,
                        "the node agent has no running pod on Kubernetes node " + host +
                            " (waited " + std::to_string(kAgentReturn.count()) + " s)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

// The agent's image is named by a hash of its files: another build's agent
// may not speak this build's commands, and is refused before it is asked.
void KubeBackend::check_agent_version(const std::string& cluster) {
    auto daemon_set = api().get("/apis/apps/v1/namespaces/" + namespace_of(cluster) +
                                "/daemonsets/" + kAgentName);
    auto running = daemon_set["spec"]["template"]["spec"]["containers"][0].value("image", "");
    auto ours = image::assembled_image_tag("node-agent", agent_image_files());
    // Pulled from a registry, it is named with the registry first.
    auto bare = running.substr(std::min(running.size(), running.find("atomix-test/")));
    if (bare != ours) {
        throw Error(ErrorKind::Environment,
                    "the node agent of cluster " + cluster + " is another build's (" + running +
                        ", this build's is " + ours +
                        "): tear the cluster down and set it up again with this build");
    }
}

void KubeBackend::forget_agent_pods(const std::string& cluster) {
    std::lock_guard lock(agents_mutex_);
    std::erase_if(agent_pods_,
                  [&](const auto& entry) { return entry.first.rfind(cluster + "/", 0) == 0; });
}

PodExecResult KubeBackend::exec_in_agent(const KubeCluster& state, const KubeNode& node,
                                         const std::vector<std::string>& argv,
                                         const std::string& input) {
    // A paused pod runs too: the agent thaws it.
    if (!node.has_pod ||
        (node.info.status != NodeStatus::Running && node.info.status != NodeStatus::Paused)) {
        throw Error(ErrorKind::Unavailable, "node " + std::to_string(node.info.id) + " of " +
                                                state.info.name + " has no running pod");
    }
    return exec_on_host(state.info.name, node.info.host, argv, input);
}

PodExecResult KubeBackend::exec_on_host(const std::string& cluster, const std::string& host,
                                        const std::vector<std::string>& argv,
                                        const std::string& input) {
    PodExec exec{.ns = namespace_of(cluster),
                 .pod = agent_pod_on(cluster, host),
                 .container = kAgentContainer,
                 .argv = argv,
                 .input = input};
    try {
        return exec_in_pod(api().endpoint(), exec);
    } catch (const Error&) {
        // The agent's pod may have been replaced: found again next time.
        forget_agent_pods(cluster);
        throw;
    }
}

void KubeBackend::remove_dir_through_agent(const KubeCluster& state, const std::string& host,
                                           const std::string& dir) {
    auto removed = exec_on_host(state.info.name, host, {agent_program(), "remove-dir", dir}, "");
    if (removed.exit_code != 0) {
        throw environment_error("the node agent on " + host + " could not remove " + dir + ": " +
                                removed.err);
    }
}

// On every Kubernetes node a node of the cluster was placed on (a Service
// records it, stopped nodes' too); removed nodes took their dirs with them.
void KubeBackend::remove_node_dirs_through_agents(const KubeCluster& state) {
    std::set<std::string> hosts;
    for (const auto& node : state.nodes) hosts.insert(node.home_host);
    std::string left;
    for (const auto& host : hosts) {
        try {
            remove_dir_through_agent(state, host, cluster_node_dirs(state.ns_uid));
        } catch (const Error& error) {
            left += std::string("; ") + error.what();
        }
    }
    if (!left.empty()) {
        throw environment_error(
            "the node agent could not remove the cluster's node dirs, left with any mount "
            "under them" +
            left);
    }
}

std::vector<CommandResult> KubeBackend::run_through_agents(
    const KubeCluster& state, const std::vector<NodeCommand>& commands) {
    std::vector<CommandResult> results(commands.size());
    std::vector<std::exception_ptr> errors(commands.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < commands.size(); ++i) {
        threads.emplace_back([&, i] {
            const auto& command = commands[i];
            try {
                const auto& node = state.node(command.node);
                auto result =
                    command.beside_node
                        ? exec_on_host(state.info.name, node.home_host,
                                       agent_beside_argv(node_dir_of(state.ns_uid, node.info.id),
                                                         command.detached, command.argv),
                                       command.input)
                        : exec_in_agent(state, node,
                                        agent_run_argv(node.pod_uid, command.detached,
                                                       command.in_node_cgroup, command.argv),
                                        command.input);
                results[i] = {command.node, result.exit_code, result.out, result.err};
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& error : errors) {
        if (error) std::rethrow_exception(error);
    }
    return results;
}

std::string KubeBackend::signal_through_agent(const KubeCluster& state, const KubeNode& node,
                                              const std::string& signal) {
    auto wait_ms = node.stop_grace_ms + 5000;
    auto result = exec_in_agent(
        state, node, {agent_program(), "signal", node.pod_uid, signal, std::to_string(wait_ms)},
        "");
    auto pid = result.out.substr(0, result.out.find('\n'));
    if (result.exit_code == 1) {
        throw Error(ErrorKind::Unavailable, "node " + std::to_string(node.info.id) +
                                                "'s process (pid " + pid + ") outlived the signal");
    }
    if (result.exit_code != 0) {
        throw Error(ErrorKind::Unavailable, "the node agent could not signal node " +
                                                std::to_string(node.info.id) + ": " + result.err);
    }
    return "its process (pid " + pid +
           ", signalled by the node agent) is gone; the pod starts the container again";
}

}  // namespace atomixtest::kube

namespace atomixtest::kube {

// The freezer of the container's cgroup, on its node; the pod is annotated
// with the frozen container, since neither Kubernetes nor this machine can
// tell otherwise (`nodes` says paused).
std::string KubeBackend::freeze_through_agent(const KubeCluster& state, const KubeNode& node,
                                              bool freeze) {
    auto record = [&](const nlohmann::json& frozen_container) {
        api().merge_patch(
            path_of(state.ns, "pods", node.info.name),
            {{"metadata", {{"annotations", {{annotations::kFrozenContainer, frozen_container}}}}}});
    };
    auto run_freeze = [&](const char* to) {
        return exec_in_agent(state, node, {agent_program(), "freeze", node.pod_uid, to}, "");
    };
    if (!freeze) {
        // Thawed first: a record without the freeze would say paused wrongly.
        auto thawed = run_freeze("0");
        if (thawed.exit_code != 0) {
            throw Error(ErrorKind::Unavailable, "the node agent could not resume node " +
                                                    std::to_string(node.info.id) + ": " +
                                                    thawed.err);
        }
        record(nullptr);
        return "";
    }
    if (node.info.status == NodeStatus::Paused) return "";
    record(node.container_id);
    auto frozen = run_freeze("1");
    if (frozen.exit_code != 0) {
        record(nullptr);
        throw Error(ErrorKind::Unavailable, "the node agent could not pause node " +
                                                std::to_string(node.info.id) + ": " + frozen.err);
    }
    auto count = frozen.out.substr(0, frozen.out.find('\n'));
    return "the node agent froze its container's " + count + " processes (cgroup freezer)";
}

}  // namespace atomixtest::kube
