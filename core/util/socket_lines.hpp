// One line at a time over a connected socket or pipe: the control channels of
// the local supervisor and of the disk daemon speak one JSON line each way.
#pragma once

#include <sys/un.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "util/fd.hpp"

namespace atomixtest {

// Reads up to '\n' (dropped) or EOF within timeout, appending to line. False
// when no whole line came in time (or nothing before EOF).
bool receive_line(int fd, std::string& line, std::chrono::milliseconds timeout);

// Writes all of data. A peer that has gone ends it quietly: no SIGPIPE, since
// a caller that closed first is not this process's failure.
void send_all(int fd, const std::string& data);

// The address of a unix socket at any path: sockaddr_un holds 108 bytes and
// state dirs nest deeper, so the socket is named through a descriptor of its
// directory, whose /proc path is short. Kept alive while binding or
// connecting. Throws Unavailable when the directory does not exist.
struct UnixAddress {
    UniqueFd dir;
    sockaddr_un address{};
};
UnixAddress unix_address(const std::string& path);

// One JSON line each way over the unix socket at path: the request sent, the
// reply read within timeout. Unavailable when nothing listens, Timeout when
// no reply came, Internal when it is not JSON; `who` names the peer ("the
// disk daemon").
nlohmann::json call_json_line(const std::string& path, const nlohmann::json& request,
                              std::chrono::milliseconds timeout, const std::string& who);

}  // namespace atomixtest
