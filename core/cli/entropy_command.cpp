// `atomix-test entropy [OPTIONS] FUNCTION [ARGS...] [FUNCTION [ARGS...]]...`:
// the original tool's randomized fault runs, with its command line kept.
// Options come first; from the first function name on, the words belong to
// the functions (see scenario/entropy_function.hpp).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <random>
#include <set>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "cli/txn_workload_options.hpp"
#include "entropy/entropy_run.hpp"
#include "entropy/progress_line.hpp"

namespace atomixtest::cli {

namespace {

// Options that take a value: the word after one is never a function name.
const std::set<std::string> kValuedOptions = {"-n",
                                              "--nodes",
                                              "-c",
                                              "--config",
                                              "--parallelism",
                                              "--scale",
                                              "--key-ops",
                                              "--key-concurrency",
                                              "--prime",
                                              "--ops",
                                              "--run-time",
                                              "--seed",
                                              "--cluster",
                                              "--backend",
                                              "--results",
                                              "--op-timeout",
                                              "--check-timeout",
                                              "--min-availability",
                                              "--memory-limit"};

bool takes_value(const std::string& option) {
    return kValuedOptions.count(option) || txn_workload_valued_options().count(option);
}

size_t first_function_word(const Args& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (!is_entropy_function_name(args[i])) continue;
        if (i > 0 && takes_value(args[i - 1])) continue;
        return i;
    }
    return args.size();
}

// The words as typed, less --seed (the run appends the seed it used).
Args option_words_without_seed(const Args& args) {
    Args kept;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--seed") {
            ++i;
            continue;
        }
        if (args[i].rfind("--seed=", 0) == 0) continue;
        kept.push_back(args[i]);
    }
    return kept;
}

std::string command_line_of(const Args& args) {
    std::string line = "atomix-test entropy";
    for (const auto& arg : args) {
        bool plain = arg.find_first_of(" \t'\"$\\") == std::string::npos && !arg.empty();
        line += " " + (plain ? arg : "'" + arg + "'");
    }
    return line;
}

}  // namespace

int entropy_command(const Args& args) {
    CLI::App app(
        "Randomized fault runs: a workload recorded as a history while entropy functions crash, "
        "partition, stress and restart the cluster on a schedule drawn from --seed; the history "
        "is checked for linearizability, or for --consistency with a transactional --workload "
        "(exit 0 linearizable or valid, 1 not, 2 bad input, 3 undecided)",
        "atomix-test entropy");
    app.footer(
        "functions (each: NAME [MIN [MAX]] delay between invocations, default 15s 30s):\n"
        "  crash [MIN [MAX]] [--random [P [P]]]   kill a random node for a period, recover it\n"
        "  pause [MIN [MAX]] [--random | --all [P [P]]]  freeze a random node (or every node)\n"
        "                                          for a period, then thaw it\n"
        "  partition [MIN [MAX]] [--random [P [P]]] [--isolate [P [P]]] [--halves [P [P]]]\n"
        "            [--bridge [P [P]]]            each type a function (alone: every type)\n"
        "  stress [MIN [MAX]] [--network LATENCY] [--cpu N] [--io N] [--memory N]\n"
        "         [--random | --all] [--period P [P]]  each option a function\n"
        "  restart [MIN [MAX]]                     kill every node, then recover every node\n"
        "  membership [MIN [MAX]] [--period P [P]] add a server, remove it after the period\n"
        "  clock [MIN [MAX]] [--bump OFFSET] [--strobe] [--rate RATE] [--random | --all [P [P]]]\n"
        "                                          a node's wall clock jumps (-5s: back), flips\n"
        "                                          or runs fast or slow; each option a function\n"
        "  fault PLUGIN.VERB [MIN [MAX]] [--PARAM VALUE ...] [--period P [P]]\n"
        "                                          any scoped verb of a fault plugin (one of\n"
        "                                          your own too), undone after the period\n"
        "periods default to 15s 30s.\n"
        "example: atomix-test entropy --nodes 3 --config consensus --prime 10000 --scale 1000 "
        "--ops 50 --run-time 10m crash --random 30s partition --isolate 30s 1m");
    auto split = first_function_word(args);
    Args option_words(args.begin(), args.begin() + static_cast<long>(split));
    Args function_words(args.begin() + static_cast<long>(split), args.end());

    // A word that is neither an option nor an option's value is a misspelt function.
    for (size_t i = 0; i < option_words.size(); ++i) {
        const auto& word = option_words[i];
        bool value = i > 0 && takes_value(option_words[i - 1]);
        if (!value && word.rfind('-', 0) != 0) {
            throw bad_input("entropy: '" + word +
                            "' is not an entropy function (crash, pause, partition, stress, "
                            "restart, membership, clock, fault)");
        }
    }
    EntropyOptions options;
    std::string run_time = "60s", op_timeout = "2s", check_timeout = "60s", results, memory_limit;
    uint64_t seed = 0;
    double min_availability = -1;
    app.add_option("-n,--nodes", options.nodes, "nodes in the cluster (default 3)");
    app.add_option("-c,--config", options.profile, "the nodes' profile (default consensus)");
    app.add_option("--backend", options.backend, "local or docker (default local)");
    app.add_option("--cluster", options.cluster, "use this running cluster instead of a new one");
    app.add_option("--parallelism", options.workload.parallelism, "client processes (default 8)");
    app.add_option("--scale", options.workload.scale, "keys operated on (default 1000)");
    app.add_option("--key-ops", options.workload.key_operations,
                   "operations a key serves before a fresh key replaces it (default 250; 0: "
                   "never), so that each key's history stays checkable");
    app.add_option("--key-concurrency", options.workload.key_concurrency,
                   "operations a key may have open at once, pending or info (default 10; 0: no "
                   "limit); more go to a fresh key, so that a stall cannot make a key uncheckable");
    app.add_option("--prime", options.prime, "writes before the faults start (default 0)");
    app.add_option("--ops", options.workload.ops, "operations a second in total (default 1)")
        ->check(kFiniteNumber);
    app.add_option("--run-time", run_time, "how long the faults and workload run (default 60s)");
    app.add_option("--seed", seed,
                   "the seed of the schedule and workload (printed when not given)");
    app.add_option("--op-timeout", op_timeout,
                   "an operation unanswered after this is recorded info (default 2s)");
    app.add_option("--check-timeout", check_timeout,
                   "the checker gives up (verdict unknown, exit 3) after this (default 60s)");
    app.add_option("--memory-limit", memory_limit, kMemoryLimitHelp);
    app.add_flag("--all-keys", options.check_all_keys, kAllKeysHelp);
    app.add_option("--min-availability", min_availability,
                   "fail (exit 1) when the share of ok operations during faults is below this")
        ->check(kFiniteNumber);
    app.add_option("--results", results, "results directory (default results/<time>-entropy)");
    app.add_flag("--keep", options.keep, "leave the cluster running at the end");
    bool quiet = false;
    app.add_flag("--quiet,-q", quiet,
                 "no status line (it is redrawn in place on a terminal, a line a second "
                 "into a pipe); the set-up, the summary and the verdict still print");
    TxnWorkloadFlags txn_flags;
    add_txn_workload_options(app, txn_flags);
    if (auto code = parse_args(app, option_words)) return *code;
    options.progress = progress_style_for(STDOUT_FILENO, quiet);
    options.txn = txn_workload_options(txn_flags);
    if (function_words.empty()) {
        throw bad_input(
            "entropy needs at least one function: crash, pause, partition, stress, restart, "
            "membership, clock or fault (atomix-test entropy --help)");
    }
    options.functions = parse_entropy_functions(function_words);
    options.run_time = parse_duration(run_time);
    options.workload.op_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(parse_duration(op_timeout));
    options.check_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(parse_duration(check_timeout));
    options.check_memory_limit = parse_memory_limit(memory_limit);
    if (app.count("--min-availability") > 0) {
        options.min_availability = min_availability;
    }
    options.results = results;
    // Without --seed one is drawn; the run prints it with the command that replays it.
    options.seed = app.count("--seed") > 0 ? seed : std::random_device{}();
    options.command_line = command_line_of(option_words_without_seed(args));
    validate_entropy_options(options);
    std::cout << std::unitbuf;
    Workspace workspace;
    return run_entropy(workspace, options, std::cout);
}

}  // namespace atomixtest::cli
