// The entropy run's verdict on its history, by workload: linearizability per
// key for the register workload (model kv), the transactional checker for
// list-append and rw-register (the --consistency model). Writes check.json
// (and, for transactions, anomalies/ with the explanations and cycle SVGs).
#pragma once

#include <filesystem>
#include <string>

#include "atomixtest/check.hpp"
#include "entropy/entropy_run.hpp"

namespace atomixtest {

struct EntropyCheck {
    // The verdict in the linearizability checker's terms (valid is
    // Linearizable), which the exit code and the scenario assertions read.
    CheckResult result;
    std::string verdict;  // as the summary says it: "linearizable", "valid", ...
    std::string text;     // for the run's output
};

EntropyCheck check_entropy_history(const EntropyOptions& options,
                                   const std::filesystem::path& history,
                                   const std::filesystem::path& results);

}  // namespace atomixtest
