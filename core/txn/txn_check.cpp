#include "txn/txn_check.hpp"

#include <algorithm>

#include "txn/cycle_shortcut.hpp"
#include "txn/explanation.hpp"
#include "txn/inference.hpp"

namespace atomixtest::txn {

const char* to_string(TxnVerdict verdict) {
    switch (verdict) {
        case TxnVerdict::Valid:
            return "valid";
        case TxnVerdict::Invalid:
            return "invalid";
        case TxnVerdict::Unknown:
            return "unknown";
    }
    return "?";
}

namespace {

void keep(TxnCheckResult& result, TxnAnomaly anomaly) {
    result.found |= bit(anomaly.type);
    if (++result.counts[anomaly.type] <= result.options.examples) {
        result.anomalies.push_back(std::move(anomaly));
    }
}

}  // namespace

TxnCheckResult check_txn_history(TxnHistory history, const TxnCheckOptions& options) {
    auto started = std::chrono::steady_clock::now();
    TxnCheckResult result;
    result.options = options;
    result.history = std::move(history);
    const auto& h = result.history;
    for (const auto& txn : h.txns) {
        (txn.type == EventType::Ok     ? result.ok
         : txn.type == EventType::Fail ? result.fail
                                       : result.info)++;
    }
    auto inference = h.model == TxnModel::ListAppend ? infer_list_append(h) : infer_rw_register(h);
    result.unsound = inference.unsound;
    for (const auto& anomaly : inference.anomalies) {
        keep(result, {anomaly.type, anomaly.txns, {}, explain_direct(h, anomaly)});
    }
    inference.anomalies = {};
    auto edges = std::move(inference.edges);
    if (needs_process_order(options.consistency)) add_process_edges(h, edges);
    if (needs_realtime_order(options.consistency)) add_realtime_edges(h, edges);
    auto graph = build_graph(static_cast<uint32_t>(h.txns.size()), std::move(edges));
    result.edges = graph.targets.size();
    auto cycles = find_cycles(graph, options.limits);
    result.components = cycles.components;
    result.largest_component = cycles.largest_component;
    for (auto& cycle : cycles.cycles) {
        if (graph.present & kRealtime) shorten_by_realtime(cycle, h);
        TxnAnomaly anomaly{cycle.type, {}, {}, ""};
        for (const auto& step : cycle.steps) {
            anomaly.txns.push_back(step.txn);
            anomaly.steps.push_back(step.bit);
        }
        if (result.counts[cycle.type] < options.examples) {
            anomaly.explanation = explain_cycle(h, *inference.explainer, cycle);
        }
        keep(result, std::move(anomaly));
    }
    // Most severe first: the table's order (cycles after the direct anomalies
    // in it), then as found.
    std::stable_sort(result.anomalies.begin(), result.anomalies.end(),
                     [](const TxnAnomaly& a, const TxnAnomaly& b) {
                         return static_cast<int>(a.type) < static_cast<int>(b.type);
                     });
    auto forbidden = forbidden_by(options.consistency);
    result.forbidden = result.found & forbidden;
    result.undecided = cycles.undecided & forbidden & ~result.found;
    result.ruled_out = ruled_out(result.found);
    result.verdict = result.forbidden                       ? TxnVerdict::Invalid
                     : (result.undecided || result.unsound) ? TxnVerdict::Unknown
                                                            : TxnVerdict::Valid;
    result.elapsed = std::chrono::steady_clock::now() - started;
    return result;
}

TxnCheckResult check_txn_file(const std::filesystem::path& path, HistoryFormat format,
                              const TxnCheckOptions& options) {
    auto started = std::chrono::steady_clock::now();
    auto result = check_txn_history(read_txn_history(path, format, options.model), options);
    result.elapsed = std::chrono::steady_clock::now() - started;
    return result;
}

}  // namespace atomixtest::txn
