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

#include "engine/workspace.hpp"
#include "entropy/entropy_function.hpp"
#include "entropy/entropy_workload.hpp"
#include "entropy/workload.hpp"

namespace atomixtest {

struct EntropyOptions {
    int nodes = 3;
    std::string profile = "consensus";
    std::string backend = "local";
    std::string cluster;  // an existing cluster to use; empty: a new one
    int64_t prime = 0;
    Duration run_time = std::chrono::seconds(60);
    uint64_t seed = 0;
    WorkloadOptions workload;
    TxnWorkloadOptions txn;  // --workload list-append|rw-register
    std::optional<double> min_availability;
    std::chrono::milliseconds check_timeout{60000};
    std::filesystem::path results;  // empty: ./results/<timestamp>-entropy
    bool keep = false;
    std::vector<EntropyFunction> functions;
    std::string command_line;  // as typed, to reproduce the run
    std::string replay;        // the command that replays it, when not an entropy command
};

// Throws Error(BadInput) for options that cannot make a run (before any
// cluster exists).
void validate_entropy_options(const EntropyOptions& options);

// Returns the exit code: 0 linearizable (and available enough), 1 not, 2 a
// set-up problem, 3 the checker could not decide in time, 130 interrupted.
int run_entropy(Workspace& workspace, const EntropyOptions& options, std::ostream& out);

}  // namespace atomixtest
