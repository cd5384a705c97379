// One line at a time over a connected socket or pipe: the control channels of
// the local supervisor and of the disk daemon speak one JSON line each way.
#pragma once

#include <chrono>
#include <string>

namespace atomixtest {

// Reads up to '\n' (dropped) or EOF within timeout, appending to line. False
// when no whole line came in time (or nothing before EOF).
bool receive_line(int fd, std::string& line, std::chrono::milliseconds timeout);

// Writes all of data. A peer that has gone ends it quietly: no SIGPIPE, since
// a caller that closed first is not this process's failure.
void send_all(int fd, const std::string& data);

}  // namespace atomixtest
