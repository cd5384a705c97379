// atomixtest-sidecar: the one program of the tools image, in two roles.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::docker {

int run_agent();
int run_relay(const std::vector<std::string>& mappings);

}  // namespace atomixtest::docker
