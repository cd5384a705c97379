// How a node's shaping is put in force: the kernel's part with tc where the
// kernel has the qdiscs (probed once per cluster: tbf and netem), the rest,
// and the record of the whole, with the userspace daemon.
#pragma once

#include "atomixtest/fault.hpp"
#include "netem/shaping.hpp"

namespace atomixtest::net {

constexpr const char* kInterface = "eth0";

// What the node's kernel carries; nothing with ATOMIX_TEST_NETEM=userspace.
KernelDrivers kernel_drivers(FaultContext& context, int node);

// The node's shaping as its daemon records it (empty: none).
Shaping shaping_of(FaultContext& context, int node);

// Makes the node's shaping `wanted`, given what it was.
void put_shaping(FaultContext& context, int node, const Shaping& before, Shaping wanted);

// Removes every setting of the nodes, whatever a crash may have left: the
// tc tree and the queue rules of all of them at once, then the daemons.
void clear_shaping(FaultContext& context, const std::vector<int>& nodes);

}  // namespace atomixtest::net
