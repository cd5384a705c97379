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

}  // namespace atomixtest
