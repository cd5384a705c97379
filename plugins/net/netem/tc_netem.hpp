// The kernel driver: tc's netem qdisc on the node's interface, where the
// kernel has it. tc runs from the host inside the node's namespace, so the
// node's image needs no tc.
#pragma once

#include <string>
#include <vector>

#include "netem_spec.hpp"

namespace atomixtest::net {

// `tc qdisc replace dev IFACE root netem ...` for spec, in netem's own words.
std::vector<std::string> tc_netem_command(const std::string& interface, const NetemSpec& spec);
std::vector<std::string> tc_netem_removal(const std::string& interface);
// The probe: a netem qdisc on loopback, which only a kernel with netem accepts.
std::vector<std::string> tc_netem_probe();

}  // namespace atomixtest::net
