// What the clock plugin and its node-side tool (node_clock_tool_main.cpp)
// agree on: the program's name and what its exit codes mean.
#pragma once

namespace atomixtest::clock {

constexpr const char* kNodeClockProgram = "atomixtest-node-clock";
constexpr int kNodeClockNotSeen = 3;  // Unavailable: asked, and not seen in the node
constexpr int kNodeClockCannot = 4;   // Environment: the node cannot be changed

}  // namespace atomixtest::clock
