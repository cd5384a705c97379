#include "container_runtime.hpp"

#include "atomixtest/error.hpp"
#include "engine_api/log_stream.hpp"

namespace atomixtest::docker {

std::string network_namespace_of_sidecar(EngineClient& engine, const std::string& sidecar,
                                         bool required) {
    nlohmann::json inspected;
    try {
        inspected = engine.get("/containers/" + sidecar + "/json");
    } catch (const Error& error) {
        if (!required && error.kind() == ErrorKind::NotFound) return "";
        throw;
    }
    int pid = inspected["State"].value("Pid", 0);
    if (pid <= 0) {
        if (!required) return "";
        throw environment_error("the sidecar " + sidecar +
                                " is not running, so the node has no network namespace");
    }
    return "/proc/" + std::to_string(pid) + "/ns/net";
}

CommandResult exec_in_container(EngineClient& engine, const std::string& container, int node,
                                const std::vector<std::string>& argv, bool detached) {
    auto created = engine.post(
        "/containers/" + container + "/exec",
        {{"Cmd", argv}, {"AttachStdout", !detached}, {"AttachStderr", !detached}, {"Tty", false}});
    std::string id = created["Id"];
    auto reply = engine.call("POST", "/exec/" + id + "/start",
                             nlohmann::json{{"Detach", detached}, {"Tty", false}}.dump(),
                             "application/json", std::chrono::minutes(10));
    if (detached) return {node, 0, "", ""};
    auto output = split_log_stream(reply.body);
    auto inspected = engine.get("/exec/" + id + "/json");
    return {node, inspected.value("ExitCode", -1), output.out, output.err};
}

}  // namespace atomixtest::docker
