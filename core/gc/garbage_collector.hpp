// `atomix-test gc`: removes what the framework made on this machine that no
// live process and no user owns — clusters whose claim's owner has exited
// (torn down through their backend, which knows every part of them), then
// tagged processes, namespaces, cgroups, state dirs and claims that belong
// to no cluster any more (a crash between two steps of a setup or teardown).
// Clusters the user set up and clusters of live runners are left as they are,
// and so is everything without the framework's tag or of another state root.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "session/workspace.hpp"

namespace atomixtest {

struct GarbageReport {
    std::vector<std::string> removed;  // or, on a dry run, what would be
    std::vector<std::string> kept;     // clusters someone owns
    std::vector<std::string> problems;
};

GarbageReport collect_garbage(Workspace& workspace, bool dry_run, std::ostream& out);

}  // namespace atomixtest
