// The human-readable tables of the CLI, in the original tool's layout.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "atomixtest/cluster.hpp"

namespace atomixtest::cli {

void print_node_table(std::ostream& out, const ClusterInfo& cluster);
void print_fault_list(std::ostream& out, const nlohmann::json& faults);

}  // namespace atomixtest::cli
