#include "atomixtest/process_tag.hpp"

#include <unistd.h>

#include "util/paths.hpp"

namespace atomixtest {

std::string process_tag(const std::string& cluster) {
    return std::string(kProcessTagVariable) + "=" + state_root().string() + "|" + cluster;
}

std::vector<std::string> tagged_environment(const std::string& cluster) {
    const std::string prefix = std::string(kProcessTagVariable) + "=";
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
        if (std::string_view(*entry).starts_with(prefix)) continue;
        environment.emplace_back(*entry);
    }
    environment.push_back(process_tag(cluster));
    return environment;
}

std::vector<char*> environment_pointers(std::vector<std::string>& environment) {
    std::vector<char*> pointers;
    for (auto& entry : environment) pointers.push_back(entry.data());
    pointers.push_back(nullptr);
    return pointers;
}

}  // namespace atomixtest
