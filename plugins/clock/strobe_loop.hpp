// The strobe's loop, run by the strobe daemon started from this machine
// (strobe_daemon.cpp) and by the node clock tool on a node's own machine
// (`atomixtest-node-clock strobe`): prints "ready PID" once it holds the
// processes, flips their selectors every period until the duration is over
// or SIGTERM/SIGINT comes, then leaves them at 0. Returns the exit code.
#pragma once

#include <nlohmann/json.hpp>

namespace atomixtest::clock {

// SPEC: {"node": 1, "period_ns": ..., "duration_ns": ...,
//        "targets": [{"pid": 123, "selector": 140234567}]}
int run_strobe(const nlohmann::json& spec);

}  // namespace atomixtest::clock
