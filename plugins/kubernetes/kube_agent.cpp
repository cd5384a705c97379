#include "kube_agent.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>

#include "atomixtest/node_tool.hpp"
#include "atomixtest/process.hpp"
#include "image/fault_tools.hpp"
#include "kube_objects.hpp"
#include "labels.hpp"

namespace atomixtest::kube {

namespace fs = std::filesystem;

std::string agent_program() {
    Dl_info info{};
    dladdr(reinterpret_cast<void*>(&agent_program), &info);
    return (fs::path(info.dli_fname ? info.dli_fname : "").parent_path() / "atomixtest-node-agent")
        .string();
}

std::vector<std::string> agent_image_files() {
    auto plugin_dir = fs::path(agent_program()).parent_path();
    // The programs that run in nodes: the agent, the node tool and every
    // plugin's own node-side tool (atomixtest-node-*, node_tool.hpp), which
    // is how a plugin of one's own reaches nodes behind the agent; and the
    // netem daemon, which predates that name.
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(plugin_dir)) {
        auto name = entry.path().filename().string();
        if (name.rfind("atomixtest-node-", 0) == 0 && entry.is_regular_file()) {
            files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    files.push_back((plugin_dir / "atomixtest-netem").string());
    for (auto& tool : image::fault_tool_files()) files.push_back(std::move(tool));
    // The netem daemon's readiness is read from a /proc file in the pod.
    if (!find_executable("cat").empty()) files.emplace_back("cat");
    return files;
}

namespace {

nlohmann::json agent_labels(const std::string& cluster) {
    return {{labels::kCluster, cluster}, {labels::kRole, "agent"}};
}

nlohmann::json agent_pod_spec(const std::string& image, bool pull_secret) {
    nlohmann::json container = {
        {"name", kAgentContainer},
        {"image", image},
        {"imagePullPolicy", image_pull_policy(image)},
        {"command", {agent_program(), "serve"}},
        // Entering another pod's namespaces, joining its cgroups.
        {"securityContext", {{"privileged", true}}},
        {"resources", {{"requests", {{"cpu", "10m"}}}}},
        // The host's cgroup trees, where the pods' groups are: a container's
        // own cgroup mount shows only its own group.
        {"volumeMounts", {{{"name", "cgroup"}, {"mountPath", "/sys/fs/cgroup"}}}}};
    nlohmann::json spec = {
        {"hostPID", true},
        {"containers", {container}},
        {"volumes", {{{"name", "cgroup"}, {"hostPath", {{"path", "/sys/fs/cgroup"}}}}}},
        // On every node, cordoned or tainted: a pod may run there.
        {"tolerations", {{{"operator", "Exists"}}}},
        {"enableServiceLinks", false},
        {"automountServiceAccountToken", false},
        {"terminationGracePeriodSeconds", 1}};
    if (pull_secret) spec["imagePullSecrets"] = {{{"name", kPullSecret}}};
    return spec;
}

}  // namespace

nlohmann::json agent_daemon_set_body(const std::string& cluster, const std::string& image,
                                     bool pull_secret) {
    return {{"apiVersion", "apps/v1"},
            {"kind", "DaemonSet"},
            {"metadata", {{"name", kAgentName}, {"labels", agent_labels(cluster)}}},
            {"spec",
             {{"selector", {{"matchLabels", agent_labels(cluster)}}},
              {"template",
               {{"metadata", {{"labels", agent_labels(cluster)}}},
                {"spec", agent_pod_spec(image, pull_secret)}}}}}};
}

nlohmann::json agent_pod_body(const std::string& cluster, const std::string& image,
                              bool pull_secret) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata",
             {{"name", std::string(kAgentName) + "-check"}, {"labels", agent_labels(cluster)}}},
            {"spec", agent_pod_spec(image, pull_secret)}};
}

std::vector<std::string> agent_beside_argv(const std::string& node_dir, bool detached,
                                           const std::vector<std::string>& command) {
    std::vector<std::string> argv = {agent_program(), "beside", node_dir};
    if (detached) argv.push_back("--detach");
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

std::vector<std::string> agent_run_argv(const std::string& pod_uid, bool detached,
                                        bool in_node_cgroup,
                                        const std::vector<std::string>& command) {
    std::vector<std::string> argv = {agent_program(), "run", pod_uid};
    if (in_node_cgroup) argv.push_back("--cgroup");
    if (detached) argv.push_back("--detach");
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace atomixtest::kube
