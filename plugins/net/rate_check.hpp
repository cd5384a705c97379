// net.rate's proof: from each throttled node, a burst of probe bytes to one
// of its throttled peers (one no partition cuts off) must take at least the
// time the rate allows past the bucket's burst.
#pragma once

#include <vector>

#include "atomixtest/fault.hpp"
#include "netem/netem_spec.hpp"

namespace atomixtest::net {

// Each node's measure, said as context.verified; throws Error(Unavailable)
// naming the node whose probes went faster than the rate (the caller undoes).
void check_rate(FaultContext& context, const std::vector<int>& nodes, const std::vector<int>& to,
                const RateLimit& limit);

}  // namespace atomixtest::net
