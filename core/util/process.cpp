#include "atomixtest/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest {

namespace {

struct RunningChild {
    pid_t pid = -1;
    UniqueFd stdin_fd, stdout_fd, stderr_fd;
    size_t input_written = 0;
    std::chrono::steady_clock::time_point deadline;
    bool timed_out = false;
};

// Exits the child with 127 and a message on stderr when it cannot exec, as a
// shell would: the parent then reports the tool and the reason.
[[noreturn]] void child_fail(const char* what) {
    const char* reason = strerror(errno);
    [[maybe_unused]] auto written = write(2, what, strlen(what));
    written = write(2, ": ", 2);
    written = write(2, reason, strlen(reason));
    _exit(127);
}

RunningChild spawn(const ProcessSpec& spec) {
    if (spec.argv.empty()) throw Error(ErrorKind::Internal, "run_process: empty argv");
    UniqueFd netns;
    if (spec.netns) {
        netns.reset(open(spec.netns->c_str(), O_RDONLY | O_CLOEXEC));
        if (!netns) {
            throw Error(ErrorKind::Environment,
                        "cannot open network namespace " + *spec.netns + ": " + strerror(errno));
        }
    }
    auto in = make_pipe(), out = make_pipe(), err = make_pipe();
    std::vector<char*> argv;
    for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    // A tool dies with the command that ran it: an `ip -batch` still creating
    // a cluster's namespaces when the command was killed went on after it,
    // and what it made once gc had been through (its marker gone) was left
    // on the machine. PDEATHSIG follows the forking thread, which waits here
    // for the child, so it never fires early.
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) throw Error(ErrorKind::Environment, std::string("fork: ") + strerror(errno));
    if (pid == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
        if (netns && setns(netns.get(), CLONE_NEWNET) != 0) child_fail("setns");
        dup2(in.read.get(), 0);
        dup2(out.write.get(), 1);
        dup2(err.write.get(), 2);
        signal(SIGPIPE, SIG_DFL);
        execvp(argv[0], argv.data());
        child_fail(argv[0]);
    }
    RunningChild child;
    child.pid = pid;
    child.stdin_fd = std::move(in.write);
    child.stdout_fd = std::move(out.read);
    child.stderr_fd = std::move(err.read);
    child.deadline = std::chrono::steady_clock::now() + spec.timeout;
    set_nonblocking(child.stdin_fd.get());
    if (spec.input.empty()) child.stdin_fd.reset();
    return child;
}

bool drain(UniqueFd& fd, std::string& into) {
    char buffer[8192];
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n > 0) {
        into.append(buffer, static_cast<size_t>(n));
        return true;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    fd.reset();
    return false;
}

}  // namespace

std::vector<ProcessResult> run_processes(const std::vector<ProcessSpec>& specs) {
    std::vector<RunningChild> children;
    children.reserve(specs.size());
    try {
        for (const auto& spec : specs) children.push_back(spawn(spec));
    } catch (...) {
        for (auto& child : children) {
            kill(child.pid, SIGKILL);
            waitpid(child.pid, nullptr, 0);
        }
        throw;
    }
    std::vector<ProcessResult> results(specs.size());
    while (true) {
        std::vector<pollfd> fds;
        std::vector<std::pair<size_t, int>> owners;  // (child, 0 stdin | 1 stdout | 2 stderr)
        auto now = std::chrono::steady_clock::now();
        int wait_ms = 1000;
        for (size_t i = 0; i < children.size(); ++i) {
            auto& child = children[i];
            if (child.stdout_fd || child.stderr_fd) {
                if (now >= child.deadline && !child.timed_out) {
                    child.timed_out = true;
                    kill(child.pid, SIGKILL);
                }
                auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(child.deadline - now);
                wait_ms = std::max(0, std::min<int>(wait_ms, static_cast<int>(left.count()) + 1));
            }
            if (child.stdin_fd) {
                fds.push_back({child.stdin_fd.get(), POLLOUT, 0});
                owners.push_back({i, 0});
            }
            if (child.stdout_fd) {
                fds.push_back({child.stdout_fd.get(), POLLIN, 0});
                owners.push_back({i, 1});
            }
            if (child.stderr_fd) {
                fds.push_back({child.stderr_fd.get(), POLLIN, 0});
                owners.push_back({i, 2});
            }
        }
        if (fds.empty()) break;
        if (poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) break;
        for (size_t k = 0; k < fds.size(); ++k) {
            if (fds[k].revents == 0) continue;
            auto [index, which] = owners[k];
            auto& child = children[index];
            if (which == 0) {
                const auto& input = specs[index].input;
                ssize_t n = write(child.stdin_fd.get(), input.data() + child.input_written,
                                  input.size() - child.input_written);
                if (n > 0) child.input_written += static_cast<size_t>(n);
                if (n < 0 && errno != EAGAIN && errno != EINTR) child.stdin_fd.reset();
                if (child.input_written >= input.size()) child.stdin_fd.reset();
            } else {
                drain(which == 1 ? child.stdout_fd : child.stderr_fd,
                      which == 1 ? results[index].out : results[index].err);
            }
        }
    }
    for (size_t i = 0; i < children.size(); ++i) {
        int status = 0;
        while (waitpid(children[i].pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFEXITED(status)) {
            results[i].exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            results[i].exit_code = 128 + WTERMSIG(status);
        }
        if (children[i].timed_out) {
            results[i].err +=
                "\n(killed after " + std::to_string(specs[i].timeout.count()) + " ms timeout)";
        }
    }
    return results;
}

ProcessResult run_process(const ProcessSpec& spec) {
    return run_processes({spec}).front();
}

std::string find_executable(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        return access(name.c_str(), X_OK) == 0 ? name : std::string();
    }
    const char* path = getenv("PATH");
    std::string dirs = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string candidate = dirs.substr(start, end - start) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    return {};
}

std::optional<std::vector<std::string>> proc_stat_fields(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) return std::nullopt;
    auto name_end = text.rfind(')');
    if (name_end == std::string::npos) return std::nullopt;
    std::istringstream rest(text.substr(name_end + 1));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;) fields.push_back(field);
    return fields;
}

long process_cpu_ticks(int pid) {
    auto fields = proc_stat_fields(pid);
    if (!fields || fields->size() < 13) return 0;
    return std::stol((*fields)[11]) + std::stol((*fields)[12]);
}

bool process_running(int pid) {
    if (pid <= 0) return false;
    auto fields = proc_stat_fields(pid);
    return fields && !fields->empty() && (*fields)[0] != "Z";
}

}  // namespace atomixtest
