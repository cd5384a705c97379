// The transactional checker's result for people (the verdict, the classes
// found, the models ruled out, each example explained) and as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "txn/txn_check.hpp"

namespace atomixtest::txn {

// The verdict and summary; with `explanations`, every example explained.
std::string format_txn_result(const TxnCheckResult& result, bool explanations = true);

// {"verdict", "valid", "model", "consistency", "transactions", "anomaly_types",
//  "forbidden", "undecided", "counts", "not", "also_not", "anomalies": [{"type",
//  "transactions": [{"index", "process", "type", "value", "invoke_line",
//  "complete_line"}], "steps": [...], "explanation"}], "graph", "elapsed_s"}
nlohmann::json to_json(const TxnCheckResult& result);

// A transaction as its JSON event value: [["append", "x", 1], ["r", "y", [1]]].
nlohmann::json mops_json(const TxnHistory& history, uint32_t txn);

// "G1c, G-single" from a set.
std::string class_list(AnomalySet set);

}  // namespace atomixtest::txn
