// The entropy command's transactional workload: --workload and Elle's knobs,
// declared once here and read into TxnWorkloadOptions.
#pragma once

#include <CLI/CLI.hpp>
#include <set>
#include <string>

#include "entropy/entropy_workload.hpp"

namespace atomixtest::cli {

struct TxnWorkloadFlags {
    std::string workload = "kv";
    std::string consistency = "strict-serializable";
    txn::TxnShape shape;
};

// The options above that take a value (the word after one is never a function).
const std::set<std::string>& txn_workload_valued_options();

void add_txn_workload_options(CLI::App& app, TxnWorkloadFlags& flags);

// Throws Error(BadInput) naming the option at fault.
TxnWorkloadOptions txn_workload_options(const TxnWorkloadFlags& flags);

}  // namespace atomixtest::cli
