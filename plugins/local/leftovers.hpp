// What a crash can leave of a local cluster, and how gc finds it. Namespaces
// and cgroups are named by cluster but are the machine's, not a state root's:
// a marker, /run/atomix-test/local/<cluster>, holds the state root of the
// cluster that made them, so gc under one state root leaves another's alone.
// /run is emptied at boot, as the namespaces are.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::local {

// Written before anything of the cluster exists on the machine, removed last.
void mark_cluster_on_machine(const std::string& cluster);
void unmark_cluster_on_machine(const std::string& cluster);

// Namespaces, cgroups, state dirs and markers of clusters that are neither
// listed nor in `keep`; described, and removed unless dry_run.
std::vector<std::string> remove_local_leftovers(const std::vector<std::string>& keep, bool dry_run);

}  // namespace atomixtest::local
