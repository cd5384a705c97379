#include "util/daemon_launch.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atomixtest/error.hpp"
#include "atomixtest/process_tag.hpp"
#include "util/fd.hpp"
#include "util/socket_lines.hpp"

namespace atomixtest {

std::string launch_daemon(const DaemonLaunch& launch) {
    if (launch.argv.empty()) throw Error(ErrorKind::Internal, "launch_daemon: no executable");
    auto environment = tagged_environment(launch.cluster);
    auto envp = environment_pointers(environment);
    std::vector<char*> argv;
    for (const auto& arg : launch.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    UniqueFd netns;
    if (launch.netns) {
        netns = UniqueFd(open(launch.netns->c_str(), O_RDONLY | O_CLOEXEC));
        if (!netns) throw Error(ErrorKind::Environment, "no network namespace " + *launch.netns);
    }
    auto log = launch.log_file.empty() ? std::string("/dev/null") : launch.log_file;
    auto ready = make_pipe();
    pid_t first = fork();
    if (first < 0) throw Error(ErrorKind::Environment, std::string("fork: ") + strerror(errno));
    if (first == 0) {
        if ((netns && setns(netns.get(), CLONE_NEWNET) != 0) || setsid() < 0) _exit(1);
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
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    ready.write.reset();
    waitpid(first, nullptr, 0);
    std::string line;
    if (!receive_line(ready.read.get(), line, launch.ready_within) || line.empty()) {
        throw Error(ErrorKind::Environment,
                    launch.argv[0] + " did not report ready (it exited, or said nothing within " +
                        std::to_string(launch.ready_within.count()) + " ms); see " + log);
    }
    return line;
}

}  // namespace atomixtest
