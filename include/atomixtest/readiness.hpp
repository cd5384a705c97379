// Waiting for nodes to answer their profile's readiness probe through their
// LOCAL PORT; shared by every backend.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "atomixtest/profile.hpp"

namespace atomixtest {

struct ProbeTarget {
    int node = 0;
    int port = 0;  // on 127.0.0.1
    // Whether the node's process is gone (exited, killed): a node that can
    // no longer answer is not waited for until the timeout. Empty: never asked.
    std::function<bool()> exited;
};

// Probes every target until all answer as the probe expects, the probe's
// timeout passes, or the node has exited. Returns the ids of the nodes that
// never became ready.
std::vector<int> wait_until_ready(const ReadinessProbe& probe,
                                  const std::vector<ProbeTarget>& targets);

// wait_until_ready, for a backend's setup: when a node is late, throws an
// Environment error naming the late nodes and ending with the last 2,000
// characters of the first one's log (log_of(id); its own failure said instead).
void require_ready(const std::string& cluster, const ReadinessProbe& probe,
                   const std::vector<ProbeTarget>& targets,
                   const std::function<std::string(int node)>& log_of);

}  // namespace atomixtest
