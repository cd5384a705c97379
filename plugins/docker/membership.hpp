// A profile's join and leave requests (see MembershipRequest): sent to a
// running member through its LOCAL PORT before a node is added or removed.
#pragma once

#include <map>
#include <string>

#include "atomixtest/profile.hpp"
#include "container_specs.hpp"
#include "docker_state.hpp"

namespace atomixtest::docker {

// Sends the join request about the new node (if the profile has one) and
// returns the values it captured. Throws Unavailable if no member accepts it.
std::map<std::string, std::string> announce_join(const Profile& profile,
                                                 const DockerCluster& cluster,
                                                 const NodePlan& node);

// Sends the leave request about a node (if its profile has one and it joined
// through a join request).
void announce_leave(const Profile& profile, const DockerCluster& cluster, const DockerNode& node);

Profile load_profile_of(const DockerNode& node);

}  // namespace atomixtest::docker
