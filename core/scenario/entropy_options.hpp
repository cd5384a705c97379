// What an entropy run is asked to do, as data: the options of `atomix-test
// entropy` and of a scenario's `entropy:` block, read by both into this one
// form and run by core/entropy.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/entropy_function.hpp"
#include "scenario/progress_style.hpp"
#include "session/verb_catalog.hpp"
#include "txn/anomaly_classes.hpp"
#include "txn/txn_generator.hpp"

namespace atomixtest {

struct WorkloadOptions {
    int parallelism = 8;
    int scale = 1000;  // keys in play at a time
    // Operations a key serves before a fresh key takes its place (0: never),
    // as Jepsen's independent keys: each key's history stays small enough to
    // check even with many operations of unknown outcome.
    int key_operations = 250;
    // Operations a key may have open at once (0: no limit): pending, or info,
    // which stays open for ever. When a stalled cluster piles more onto a key,
    // a fresh key takes its place: the checker's search grows with the
    // operations open together, not with a key's length.
    int key_concurrency = 10;
    double ops = 1;  // a second, in total
    std::chrono::milliseconds op_timeout{2000};
    uint64_t seed = 0;
};

// --workload list-append|rw-register and Elle's knobs.
struct TxnWorkloadOptions {
    std::optional<txn::TxnModel> model;  // none: the register (kv) workload
    txn::TxnShape shape;
    txn::ConsistencyModel consistency = txn::ConsistencyModel::StrictSerializable;
};

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
    size_t check_memory_limit = 0;  // the checker's --memory-limit; 0: its default
    bool check_all_keys = false;    // decide every key, not only the verdict
    std::filesystem::path results;  // empty: ./results/<timestamp>-entropy
    bool keep = false;
    // The status line each second: Lines unless the entropy command says
    // otherwise (in place on a terminal, none with --quiet).
    ProgressStyle progress = ProgressStyle::Lines;
    std::vector<EntropyFunction> functions;
    std::string command_line;  // as typed, to reproduce the run
    std::string replay;        // the command that replays it, when not an entropy command
};

// Throws Error(BadInput) for options that cannot make a run (before any
// cluster exists).
void validate_entropy_options(const EntropyOptions& options);

// Each `fault PLUGIN.VERB` function checked by the door's rules: a scoped
// fault verb (entropy undoes what it applies), params its declaration takes,
// nodes among `node_ids`. Throws Error(BadInput) naming the function.
void check_fault_functions(const VerbCatalog& catalog,
                           const std::vector<EntropyFunction>& functions,
                           const std::vector<int>& node_ids);

}  // namespace atomixtest
