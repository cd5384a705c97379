// The supervisor's control protocol: one JSON request line, one JSON reply line,
// over a unix socket in the cluster's state dir.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace atomixtest::local {

// Sends a request and returns the reply. Throws Error(Unavailable) when no
// supervisor listens, Error(Timeout) when it does not answer in time.
nlohmann::json call_supervisor(const std::filesystem::path& socket, const nlohmann::json& request,
                               std::chrono::milliseconds timeout);

// Reads one line (up to '\n' or EOF) from a connected socket, within timeout.
bool read_line(int fd, std::string& line, std::chrono::milliseconds timeout);
void write_all(int fd, const std::string& data);

}  // namespace atomixtest::local
