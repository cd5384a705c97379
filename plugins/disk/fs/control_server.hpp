// The daemon's side of the control channel (control_channel.hpp): requests
// served one at a time on a thread of their own, beside the FUSE threads.
//   {"op": "status"}                      rules in force, what a crash would lose
//   {"op": "rules", "rules": [...], "seed": N}   disk.error / disk.delay
//   {"op": "lose_unsynced"}               the crash: what was not synced goes
//   {"op": "corrupt", ...}                disk.corrupt (corruption.hpp)
//   {"op": "files", "path": GLOB}         the data's files a glob matches
#pragma once

#include "disk_daemon.hpp"

namespace atomixtest::disk {

// Serves until the listener is shut down.
void serve_control(int listener, DiskDaemon& daemon);

nlohmann::json handle_control(const nlohmann::json& request, DiskDaemon& daemon);

}  // namespace atomixtest::disk
