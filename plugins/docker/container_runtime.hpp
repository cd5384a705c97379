// What the engine says of running containers: where a sidecar's network
// namespace is, and running a command in a container (the Node API's run and
// execute, through the Engine's exec endpoints).
#pragma once

#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "engine_api/engine_client.hpp"

namespace atomixtest::docker {

// /proc/PID/ns/net of the sidecar's process. Throws Environment if it is not
// running (or, with required false, returns "").
std::string network_namespace_of_sidecar(EngineClient& engine, const std::string& sidecar,
                                         bool required = true);

CommandResult exec_in_container(EngineClient& engine, const std::string& container, int node,
                                const std::vector<std::string>& argv, bool detached);

}  // namespace atomixtest::docker
