// The entropy phase on a running cluster: the schedule and the workload side
// by side, everything healed, the history checked (kv model) and the record
// written to a results directory (command, schedule, history, check, summary,
// node logs, report). Used by `atomix-test entropy` and by scenarios with an
// `entropy:` block.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "atomixtest/check.hpp"
#include "entropy/entropy_run.hpp"
#include "entropy/workload.hpp"
#include "history/availability.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

struct EntropyPhaseResult {
    CheckResult check;
    Availability availability;
    WorkloadCounts counts;
    bool interrupted = false;
};

EntropyPhaseResult run_entropy_phase(Workspace& workspace, const std::shared_ptr<Backend>& backend,
                                     const std::string& cluster, const EntropyOptions& options,
                                     const std::filesystem::path& results, std::ostream& out);

}  // namespace atomixtest
