// What the disk plugin and its node-side tool (node_disk_tool_main.cpp)
// agree on: the program's name and what its exit codes mean.
#pragma once

namespace atomixtest::disk {

constexpr const char* kNodeDiskProgram = "atomixtest-node-disk";
constexpr int kNodeDiskNoDaemon = 3;  // Unavailable: no lazy disk answers for the node
constexpr int kNodeDiskCannot = 4;    // Environment: the lazy disk could not be made

}  // namespace atomixtest::disk
