// The entropy run's status line, once a second: elapsed time, operations so
// far and their rate, the faults in force and the time left. On a terminal
// it is redrawn in place; into a pipe or a file each is a line of its own;
// --quiet leaves it out.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "atomixtest/duration.hpp"
#include "entropy/workload.hpp"
#include "scenario/progress_style.hpp"

namespace atomixtest {

// Lines into a pipe or file, InPlace on a terminal, None when quiet: for the
// status written to file descriptor fd (stdout, or stderr under --json).
ProgressStyle progress_style_for(int fd, bool quiet);

std::string progress_text(std::chrono::nanoseconds elapsed, Duration run_time,
                          const WorkloadCounts& counts, const std::string& in_force);

// Writes the status in the style; end_progress ends an in-place line.
void print_progress(std::ostream& out, ProgressStyle style, const std::string& text);
void end_progress(std::ostream& out, ProgressStyle style);

}  // namespace atomixtest
