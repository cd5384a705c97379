#include "kube_runtime.hpp"

#include <filesystem>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"
#include "labels.hpp"

namespace atomixtest::kube {

namespace {

std::string bare_id(const std::string& container_id) {
    auto scheme = container_id.find("://");
    return scheme == std::string::npos ? container_id : container_id.substr(scheme + 3);
}

ProcessResult ctr(const std::string& socket, std::vector<std::string> args) {
    std::vector<std::string> argv = {"ctr", "-a", socket, "-n", "k8s.io"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process({.argv = argv, .timeout = std::chrono::seconds(10)});
}

}  // namespace

namespace {

std::string reachable_socket(const nlohmann::json& node) {
    auto address = node["metadata"]
                       .value("annotations", nlohmann::json::object())
                       .value(annotations::kContainerdAddress, std::string());
    return !address.empty() && std::filesystem::exists(address) ? address : "";
}

}  // namespace

std::string containerd_socket_of(ApiClient& api, const std::string& host) {
    if (host.empty()) return "";
    return reachable_socket(api.get("/api/v1/nodes/" + host));
}

std::map<std::string, std::string> containerd_sockets(ApiClient& api) {
    std::map<std::string, std::string> sockets;
    for (const auto& node : api.get("/api/v1/nodes").value("items", nlohmann::json::array())) {
        sockets[node["metadata"].value("name", "")] = reachable_socket(node);
    }
    return sockets;
}

namespace {

struct TaskState {
    int pid = 0;
    std::string status;
};

TaskState task_state(const std::string& socket, const std::string& container_id) {
    auto id = bare_id(container_id);
    if (socket.empty() || id.empty()) return {};
    auto listed = ctr(socket, {"tasks", "ls"});
    if (listed.exit_code != 0) {
        throw environment_error("containerd at " + socket +
                                " did not list its tasks: " + listed.err);
    }
    // TASK PID STATUS, under a header line.
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        TaskState state;
        std::string task;
        if ((fields >> task >> state.pid >> state.status) && task == id) return state;
    }
    return {};
}

}  // namespace

int task_pid(const std::string& socket, const std::string& container_id) {
    auto state = task_state(socket, container_id);
    return state.status == "RUNNING" || state.status == "PAUSED" ? state.pid : 0;
}

std::string task_status(const std::string& socket, const std::string& container_id) {
    return task_state(socket, container_id).status;
}

void pause_task(const std::string& socket, const std::string& container_id, bool pause) {
    auto result = ctr(socket, {"tasks", pause ? "pause" : "resume", bare_id(container_id)});
    if (result.exit_code != 0) {
        throw Error(ErrorKind::Unavailable, std::string("containerd did not ") +
                                                (pause ? "pause " : "resume ") +
                                                bare_id(container_id) + ": " + result.err);
    }
}

void signal_task(const std::string& socket, const std::string& container_id,
                 const std::string& signal) {
    auto result = ctr(socket, {"tasks", "kill", "-s", signal, bare_id(container_id)});
    if (result.exit_code != 0) {
        throw Error(ErrorKind::Unavailable,
                    "containerd did not signal " + bare_id(container_id) + ": " + result.err);
    }
}

}  // namespace atomixtest::kube
