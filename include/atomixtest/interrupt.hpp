// Ctrl-C (SIGINT) and SIGTERM reach the CLI, which records them here; long
// operations (waiting for readiness, running steps) check and stop, so that
// their cleanup runs instead of the process dying half-way.
#pragma once

namespace atomixtest {

// The exit status of a command stopped by SIGINT or SIGTERM (128 + SIGINT, as
// shells report it).
constexpr int kInterruptedExit = 130;

void request_interrupt();  // async-signal-safe
// Forgets a request once it was handled: for a program (a test) that goes on
// after an interrupted run.
void clear_interrupt();
bool interrupt_requested();
void throw_if_interrupted(const char* during);  // Error(Internal) "interrupted during ..."

}  // namespace atomixtest
