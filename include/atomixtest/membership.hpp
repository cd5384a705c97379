// A profile's join and leave requests (see MembershipRequest), sent to a
// running server of the cluster through its LOCAL PORT before a node is added
// or removed: the same on every backend.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/profile.hpp"

namespace atomixtest {

// Sends the join request about the new node (its template values; if the
// profile has one) to one of `members`, and returns the values it captured.
// Throws Unavailable if no member accepts it within 30 s, BadInput on a 4xx.
std::map<std::string, std::string> announce_join(const Profile& profile,
                                                 const std::vector<NodeInfo>& members,
                                                 const TemplateValues& new_node);

// Sends the leave request about a node that joined through a join request
// (its captured values) to one of the other members.
void announce_leave(const Profile& profile, const std::string& cluster,
                    const std::vector<NodeInfo>& members, const NodeInfo& leaving,
                    const std::map<std::string, std::string>& captured);

}  // namespace atomixtest
