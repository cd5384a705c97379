#include "atomixtest/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <thread>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest {

void for_each_network_namespace(const std::vector<std::string>& namespaces,
                                const std::function<void(size_t)>& work) {
    std::vector<std::exception_ptr> failures(namespaces.size());
    std::vector<std::thread> workers;
    workers.reserve(namespaces.size());
    // setns() moves only the calling thread, and each of these ends with its
    // work, so no other thread ever runs in a node's namespace by accident.
    // One thread per node: a ruleset change waits out an RCU grace period in
    // the kernel, and in parallel the nodes wait for it together.
    for (size_t i = 0; i < namespaces.size(); ++i) {
        workers.emplace_back([&, i] {
            try {
                UniqueFd netns(open(namespaces[i].c_str(), O_RDONLY | O_CLOEXEC));
                if (!netns || setns(netns.get(), CLONE_NEWNET) != 0) {
                    throw Error(ErrorKind::Environment, "cannot join network namespace " +
                                                            namespaces[i] + ": " + strerror(errno));
                }
                work(i);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        });
    }
    for (auto& worker : workers) worker.join();
    for (const auto& failure : failures) {
        if (failure) std::rethrow_exception(failure);
    }
}

std::vector<int> processes_in_network_namespace(const std::string& path) {
    struct stat target {};
    if (stat(path.c_str(), &target) != 0) return {};
    std::vector<int> pids;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        struct stat ns {};
        if (stat((entry.path() / "ns/net").c_str(), &ns) != 0) continue;
        if (ns.st_ino == target.st_ino && ns.st_dev == target.st_dev) {
            pids.push_back(std::stoi(name));
        }
    }
    return pids;
}

}  // namespace atomixtest
