// Ctrl-C (SIGINT) and SIGTERM reach the CLI, which records them here; long
// operations (waiting for readiness, running steps) check and stop, so that
// their cleanup runs instead of the process dying half-way.
#pragma once

namespace atomixtest {

void request_interrupt();  // async-signal-safe
bool interrupt_requested();
void throw_if_interrupted(const char* during);  // Error(Internal) "interrupted during ..."

}  // namespace atomixtest
