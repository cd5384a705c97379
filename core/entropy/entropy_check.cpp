#include "entropy/entropy_check.hpp"

#include "report/txn_anomaly_report.hpp"
#include "results/results_dir.hpp"
#include "txn/txn_check.hpp"
#include "txn/txn_report.hpp"

namespace atomixtest {

namespace {

Verdict as_verdict(txn::TxnVerdict verdict) {
    switch (verdict) {
        case txn::TxnVerdict::Valid:
            return Verdict::Linearizable;
        case txn::TxnVerdict::Invalid:
            return Verdict::NotLinearizable;
        case txn::TxnVerdict::Unknown:
            return Verdict::Unknown;
    }
    return Verdict::Unknown;
}

EntropyCheck check_transactions(const EntropyOptions& options, const std::filesystem::path& history,
                                const std::filesystem::path& results) {
    txn::TxnCheckOptions check;
    check.model = *options.txn.model;
    check.consistency = options.txn.consistency;
    check.examples = 3;
    auto txn_result = txn::check_txn_file(history, HistoryFormat::Jsonl, check);
    write_json_file(results / "check.json", txn::to_json(txn_result));
    write_txn_anomaly_report(txn_result, results / "anomalies");
    EntropyCheck outcome;
    outcome.result.verdict = as_verdict(txn_result.verdict);
    outcome.result.operations = txn_result.ok + txn_result.info;
    outcome.result.elapsed = txn_result.elapsed;
    outcome.verdict = txn::to_string(txn_result.verdict);
    outcome.text = txn::format_txn_result(txn_result);
    if (txn_result.found)
        outcome.text += "explained in " + (results / "anomalies").string() + "/\n";
    return outcome;
}

}  // namespace

EntropyCheck check_entropy_history(const EntropyOptions& options,
                                   const std::filesystem::path& history,
                                   const std::filesystem::path& results) {
    if (options.txn.model) return check_transactions(options, history, results);
    CheckOptions check_options;
    check_options.model = Model::Kv;
    check_options.timeout = options.check_timeout;
    check_options.memory_limit = options.check_memory_limit;
    check_options.all_keys = options.check_all_keys;
    check_options.source = history.string();
    EntropyCheck outcome;
    outcome.result = check_history_file(history, HistoryFormat::Jsonl, check_options);
    write_json_file(results / "check.json", to_json(outcome.result));
    outcome.verdict = to_string(outcome.result.verdict);
    outcome.text = format_check_result(outcome.result);
    return outcome;
}

}  // namespace atomixtest
