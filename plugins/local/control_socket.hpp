// The supervisor's control protocol: one JSON request line, one JSON reply line,
// over a unix socket in the cluster's state dir.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/socket_lines.hpp"

namespace atomixtest::local {

// Sends a request and returns the reply. Throws Error(Unavailable) when no
// supervisor listens, Error(Timeout) when it does not answer in time.
nlohmann::json call_supervisor(const std::filesystem::path& socket, const nlohmann::json& request,
                               std::chrono::milliseconds timeout);

}  // namespace atomixtest::local
