// Every long-lived process the framework starts for a cluster (the local
// supervisor and the nodes it starts, userspace netem daemons, stress-ng)
// carries a tag in its environment, so that `atomix-test gc` can find it after
// a crash even once the namespace or container it served is gone, and can
// leave alone what another state root (another user, another test run) owns.
#pragma once

#include <string>
#include <vector>

namespace atomixtest {

constexpr const char* kProcessTagVariable = "ATOMIX_TEST_CLUSTER";

// "ATOMIX_TEST_CLUSTER=<state root>|<cluster>", for an exec'd environment.
std::string process_tag(const std::string& cluster);

// This process's environment with the cluster's tag added (an inherited tag
// replaced), ready to hand to execve.
std::vector<std::string> tagged_environment(const std::string& cluster);

// For execve: pointers into `environment`, null-terminated.
std::vector<char*> environment_pointers(std::vector<std::string>& environment);

// The processes of this state root's clusters, found by their tag rather than
// by the namespace or container they served, which a crash (or a teardown
// that went first) may already have removed.
struct TaggedProcess {
    int pid = 0;
    std::string cluster;
    std::string command;  // its executable's name, to say what was removed
};
std::vector<TaggedProcess> tagged_processes();

// SIGKILLs every process tagged with the cluster: what a teardown does last,
// so that nothing it started outlives it (a netem daemon whose node is gone, a
// command `execute` left running).
void kill_processes_tagged_with(const std::string& cluster);

}  // namespace atomixtest
