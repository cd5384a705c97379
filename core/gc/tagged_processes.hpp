// The processes of this state root's clusters, found by the tag in their
// environment (atomixtest/process_tag.hpp) rather than by the namespace or
// container they served, which a crash may already have removed.
#pragma once

#include <string>
#include <vector>

namespace atomixtest {

struct TaggedProcess {
    int pid = 0;
    std::string cluster;
    std::string command;  // its executable's name, to say what was removed
};

std::vector<TaggedProcess> tagged_processes();

}  // namespace atomixtest
