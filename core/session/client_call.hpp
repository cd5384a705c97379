// How a client operation reaches the system, in one place for scenarios, the
// C++ API and the entropy workload: through the node's LOCAL PORT, with the
// client plugin and options of the node's own profile (an Atomix client node
// has a profile of its own), falling back to the cluster's.
#pragma once

#include <chrono>
#include <memory>

#include "atomixtest/client.hpp"
#include "atomixtest/cluster.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

struct ClientTarget {
    std::shared_ptr<ClientPlugin> client;
    std::string client_name;
    Endpoint endpoint;
};

// NotFound naming the cluster's nodes for an id it lacks.
ClientTarget client_target(Workspace& workspace, const ClusterInfo& cluster, int node,
                           std::chrono::milliseconds timeout);

// The name of the client plugin that speaks to a profile's system.
std::string client_of_profile(Workspace& workspace, const std::string& profile);

}  // namespace atomixtest
