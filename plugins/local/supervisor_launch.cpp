#include "supervisor_launch.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include "atomixtest/error.hpp"
#include "control_socket.hpp"
#include "util/daemon_launch.hpp"

namespace atomixtest::local {

namespace {

// The supervisor executable is installed beside this plugin.
std::filesystem::path supervisor_executable() {
    Dl_info info{};
    dladdr(reinterpret_cast<void*>(&supervisor_executable), &info);
    auto path = std::filesystem::path(info.dli_fname ? info.dli_fname : "").parent_path() /
                "atomixtest-local-supervisor";
    if (access(path.c_str(), X_OK) != 0) {
        throw Error(ErrorKind::Environment, "the local backend's supervisor is missing: " +
                                                path.string() + " (reinstall atomix-test)");
    }
    return path;
}

}  // namespace

SupervisorStarted launch_supervisor(const std::filesystem::path& cluster_dir) {
    auto log = (cluster_dir / "supervisor.log").string();
    // Tagged for gc; the nodes it starts inherit the tag. It reports on fd 3.
    auto line =
        launch_daemon({.argv = {supervisor_executable().string(), cluster_dir.string(), "3"},
                       .cluster = cluster_dir.filename().string(),
                       .log_file = log,
                       .ready_within = std::chrono::seconds(30)});
    auto report = nlohmann::json::parse(line, nullptr, false);
    if (report.is_discarded() || !report.value("ok", false)) {
        throw Error(ErrorKind::Environment,
                    "the cluster's supervisor failed: " +
                        (report.is_discarded() ? line : report.value("error", line)));
    }
    SupervisorStarted started;
    started.pid = report.at("pid");
    for (const auto& [id, port] : report.at("ports").items()) {
        started.local_ports[std::stoi(id)] = port.get<int>();
    }
    return started;
}

}  // namespace atomixtest::local
