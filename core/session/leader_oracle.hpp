// Who leads a cluster, asked of the system itself as its profile says (its
// `leader:` request, Profile::leader): the `leader` and `followers` node
// selectors aim at the node a fault hurts most. Every running server is asked
// at once; the leader is the member that more than half of the cluster's
// servers name. While an election is under way they disagree or name no one,
// so the question is asked again for a while.
#pragma once

#include <chrono>

#include "atomixtest/cluster.hpp"
#include "atomixtest/profile.hpp"

namespace atomixtest {

// The leader's node id. BadInput when the profile cannot say (no `leader:`);
// Error(Unavailable) naming each server's answer when no majority agreed
// within `patience`.
int ask_leader(const Profile& profile, const ClusterInfo& cluster,
               std::chrono::milliseconds patience = std::chrono::seconds(10));

}  // namespace atomixtest
