// One entropy run from start to end: the cluster set up (or found), primed,
// the workload and the schedule run side by side with a live progress line,
// everything healed, the history checked for linearizability (kv model) and
// availability computed; the record written to the results directory.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "scenario/entropy_options.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

// Returns the exit code: 0 linearizable (and available enough), 1 not, 2 a
// set-up problem, 3 the checker could not decide in time, 130 interrupted.
int run_entropy(Workspace& workspace, const EntropyOptions& options, std::ostream& out);

}  // namespace atomixtest
