// The FUSE daemon's control channel: one JSON request line, one JSON reply
// line, over a unix socket beside the node's data (mode 0600, and each
// caller's uid checked). The plugin sets the I/O rules through it, asks for
// the crash ("lose what was not synced"), a corruption, or the daemon's state.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "util/fd.hpp"
#include "util/socket_lines.hpp"

namespace atomixtest::disk {

// Binds and listens (the path may be longer than a sockaddr holds: it is
// reached through its directory's descriptor).
UniqueFd listen_control(const std::string& path);

// Whether the connected peer runs as this process's user.
bool peer_is_owner(int fd);

// Sends a request, returns the reply. Error(Unavailable) when nothing
// listens, Error(Timeout) without an answer in time; a reply {"ok": false,
// "error": ..., "kind": ...} is thrown as the daemon's Error.
nlohmann::json call_control(const std::string& path, const nlohmann::json& request,
                            std::chrono::milliseconds timeout);

// A reply as it came (from the socket, or relayed by the node disk tool):
// returned when ok, else thrown as the daemon's Error.
nlohmann::json checked_reply(const nlohmann::json& reply);

}  // namespace atomixtest::disk
