#include "cli/txn_workload_options.hpp"

#include "atomixtest/error.hpp"

namespace atomixtest::cli {

const std::set<std::string>& txn_workload_valued_options() {
    static const std::set<std::string> names = {"--workload",       "--consistency",
                                                "--key-count",      "--txn-keys",
                                                "--max-txn-length", "--max-writes-per-key"};
    return names;
}

void add_txn_workload_options(CLI::App& app, TxnWorkloadFlags& flags) {
    app.add_option("--workload", flags.workload,
                   "kv (registers, checked for linearizability; the default), list-append or "
                   "rw-register (transactions, checked for --consistency)");
    app.add_option("--consistency", flags.consistency,
                   "transactions: the model whose anomalies fail the run (default "
                   "strict-serializable)");
    app.add_option("--key-count", flags.shape.key_count,
                   "transactions: keys in play at a time (default 5)");
    app.add_option("--txn-keys", flags.shape.txn_keys,
                   "transactions: at most this many keys in one (default 3)");
    app.add_option("--max-txn-length", flags.shape.max_txn_length,
                   "transactions: at most this many micro-ops in one (default 4)");
    app.add_option("--max-writes-per-key", flags.shape.max_writes_per_key,
                   "transactions: writes a key takes before a fresh key replaces it (default 32)");
}

TxnWorkloadOptions txn_workload_options(const TxnWorkloadFlags& flags) {
    TxnWorkloadOptions options;
    if (flags.workload == "list-append") {
        options.model = txn::TxnModel::ListAppend;
    } else if (flags.workload == "rw-register") {
        options.model = txn::TxnModel::RwRegister;
    } else if (flags.workload != "kv") {
        throw bad_input("--workload: kv, list-append or rw-register, not " + flags.workload);
    }
    options.consistency = txn::consistency_model_named(flags.consistency);
    const auto& shape = flags.shape;
    auto at_least_one = [](int value, const char* name) {
        if (value < 1)
            throw bad_input(std::string(name) + ": at least 1, got " + std::to_string(value));
    };
    at_least_one(shape.key_count, "--key-count");
    at_least_one(shape.txn_keys, "--txn-keys");
    at_least_one(shape.max_txn_length, "--max-txn-length");
    at_least_one(shape.max_writes_per_key, "--max-writes-per-key");
    if (shape.txn_keys > shape.key_count) {
        throw bad_input("--txn-keys " + std::to_string(shape.txn_keys) +
                        " is more than --key-count " + std::to_string(shape.key_count));
    }
    options.shape = shape;
    options.shape.model = options.model.value_or(txn::TxnModel::ListAppend);
    // etcd refuses two puts to one key in a transaction.
    options.shape.one_write_per_key = true;
    return options;
}

}  // namespace atomixtest::cli
