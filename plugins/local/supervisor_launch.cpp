#include "supervisor_launch.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atomixtest/error.hpp"
#include "atomixtest/process_tag.hpp"
#include "control_socket.hpp"
#include "util/fd.hpp"

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
    auto executable = supervisor_executable().string();
    auto log = (cluster_dir / "supervisor.log").string();
    auto dir = cluster_dir.string();
    // Tagged for gc; the nodes it starts inherit the tag.
    auto environment = tagged_environment(cluster_dir.filename().string());
    auto envp = environment_pointers(environment);
    auto ready = make_pipe();
    pid_t first = fork();
    if (first < 0) throw Error(ErrorKind::Environment, std::string("fork: ") + strerror(errno));
    if (first == 0) {
        // Twice forked and in a session of its own: the supervisor outlives the
        // CLI and never receives the terminal's signals.
        setsid();
        if (fork() != 0) _exit(0);
        int devnull = open("/dev/null", O_RDONLY);
        int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(devnull, 0);
        dup2(log_fd, 1);
        dup2(log_fd, 2);
        dup2(ready.write.get(), 3);  // dup2 clears close-on-exec
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        const char* argv[] = {executable.c_str(), dir.c_str(), "3", nullptr};
        execve(executable.c_str(), const_cast<char* const*>(argv), envp.data());
        _exit(127);
    }
    ready.write.reset();
    waitpid(first, nullptr, 0);
    std::string line;
    if (!receive_line(ready.read.get(), line, std::chrono::seconds(30)) || line.empty()) {
        throw Error(ErrorKind::Internal,
                    "the cluster's supervisor exited before reporting; see " + log);
    }
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
