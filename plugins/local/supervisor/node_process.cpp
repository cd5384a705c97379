#include "node_process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest::local {

pid_t start_node_process(const LocalNode& node, const std::filesystem::path& workdir,
                         const std::filesystem::path& log) {
    UniqueFd netns(open(netns_path(node.netns).c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns) {
        throw Error(ErrorKind::Environment,
                    "cannot open namespace " + node.netns + ": " + strerror(errno));
    }
    UniqueFd log_fd(open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!log_fd) throw Error(ErrorKind::Environment, "cannot open " + log.string());
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
    for (const auto& [key, value] : node.env) environment.push_back(key + "=" + value);
    std::vector<char*> envp, argv;
    for (auto& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = node.argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::string dir = workdir.string();
    std::vector<std::string> cgroup_procs;
    for (const auto& group : node.cgroup_dirs) cgroup_procs.push_back(group + "/cgroup.procs");

    pid_t pid = fork();
    if (pid < 0) throw Error(ErrorKind::Environment, std::string("fork: ") + strerror(errno));
    if (pid == 0) {
        // A node must not outlive its supervisor: nobody would own it.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(log_fd.get(), 1);
        dup2(log_fd.get(), 2);
        if (setns(netns.get(), CLONE_NEWNET) != 0 || chdir(dir.c_str()) != 0) _exit(126);
        // Into the node's cgroup before exec: the node and all it forks count
        // against the node's limits from their first instruction.
        for (const auto& procs : cgroup_procs) {
            int fd = open(procs.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || dprintf(fd, "%d\n", getpid()) < 0) {
                dprintf(2, "atomix-test: cannot join %s: %s\n", procs.c_str(), strerror(errno));
                _exit(126);
            }
            close(fd);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        signal(SIGPIPE, SIG_DFL);
        umask(022);  // the supervisor's own 077 is for its socket and state
        execvpe(argv[0], argv.data(), envp.data());
        dprintf(2, "atomix-test: cannot start %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);  // also here, so the group exists before anyone signals it
    return pid;
}

void stop_node_processes(const std::vector<StopRequest>& requests) {
    using clock = std::chrono::steady_clock;
    std::vector<bool> done(requests.size(), false);
    for (const auto& request : requests) kill(-request.pid, SIGTERM);
    auto start = clock::now();
    size_t remaining = requests.size();
    while (remaining > 0) {
        for (size_t i = 0; i < requests.size(); ++i) {
            if (done[i]) continue;
            int status = 0;
            pid_t reaped = waitpid(requests[i].pid, &status, WNOHANG);
            bool gone = reaped == requests[i].pid || (reaped < 0 && errno == ECHILD);
            if (!gone && clock::now() - start >= requests[i].grace) {
                // etcd 3.4 was seen ignoring a lone SIGTERM while its peers were gone.
                kill(-requests[i].pid, SIGKILL);
                waitpid(requests[i].pid, &status, 0);
                gone = true;
            }
            if (gone) {
                kill(-requests[i].pid, SIGKILL);  // whatever the leader left in its group
                done[i] = true;
                --remaining;
            }
        }
        if (remaining > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace atomixtest::local
