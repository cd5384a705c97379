// The sidecar agent's protocol, one request per connection on a unix socket
// that the host reaches through a bind mount: a JSON line
// {"argv": [...], "input": "...", "timeout_ms": N} answered by a JSON line
// {"exit_code": N, "out": "...", "err": "..."}. A fault costs a connection and
// a fork in the sidecar, not a container start or a `docker exec`.
#pragma once

#include <string>

#include "atomixtest/backend.hpp"

namespace atomixtest::docker {

// Where the agent listens inside the sidecar; the host directory mounted there
// is named by the sidecar's mount, so any process can find it from Docker.
constexpr const char* kAgentDirInSidecar = "/run/atomix-test-agent";
constexpr const char* kAgentSocketName = "agent.sock";

// Sends one command to the agent listening at socket_path and waits for it.
// Throws Environment if the agent cannot be reached.
CommandResult call_agent(const std::string& socket_path, const NodeCommand& command);

}  // namespace atomixtest::docker
