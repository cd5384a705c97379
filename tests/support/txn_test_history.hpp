// Hand-made histories of transactions for the tests: each transaction given
// as its completed micro-ops (the invocation is the same with reads nil),
// either all concurrent (every invocation before every completion: no
// real-time order at all) or one after another.
#pragma once

#include <string>
#include <vector>

#include "atomixtest/history.hpp"
#include "txn/txn_check.hpp"

namespace atomixtest::testing {

struct HandTxn {
    int64_t process;
    nlohmann::json value;  // completed micro-ops
    EventType type = EventType::Ok;
};

// A transaction's micro-ops written as JSON text.
inline nlohmann::json J(const char* text) {
    return nlohmann::json::parse(text);
}

inline nlohmann::json invocation_of(const nlohmann::json& value) {
    auto invocation = value;
    for (auto& mop : invocation) {
        if (mop[0] == "r") mop[2] = nullptr;
    }
    return invocation;
}

inline HistoryEvent txn_event(const HandTxn& txn, bool completion) {
    bool ok = txn.type == EventType::Ok;
    return {txn.process, completion ? txn.type : EventType::Invoke, "txn", std::nullopt,
            completion && ok ? txn.value : invocation_of(txn.value)};
}

inline History concurrent_txns(const std::vector<HandTxn>& txns) {
    History history;
    for (const auto& txn : txns) history.push_back(txn_event(txn, false));
    for (const auto& txn : txns) history.push_back(txn_event(txn, true));
    for (size_t i = 0; i < history.size(); ++i) history[i].line = static_cast<uint32_t>(i + 1);
    return history;
}

inline History sequential_txns(const std::vector<HandTxn>& txns) {
    History history;
    for (const auto& txn : txns) {
        history.push_back(txn_event(txn, false));
        history.push_back(txn_event(txn, true));
    }
    for (size_t i = 0; i < history.size(); ++i) history[i].line = static_cast<uint32_t>(i + 1);
    return history;
}

inline txn::TxnCheckResult check_txns(
    const History& history, txn::TxnModel model,
    txn::ConsistencyModel consistency = txn::ConsistencyModel::StrictSerializable) {
    txn::TxnCollector collector("test", model);
    for (auto event : history) collector.add(std::move(event));
    txn::TxnCheckOptions options;
    options.model = model;
    options.consistency = consistency;
    return txn::check_txn_history(collector.finish(), options);
}

// The first anomaly of a class, or nullptr.
inline const txn::TxnAnomaly* first_of(const txn::TxnCheckResult& result, txn::AnomalyClass type) {
    for (const auto& anomaly : result.anomalies) {
        if (anomaly.type == type) return &anomaly;
    }
    return nullptr;
}

}  // namespace atomixtest::testing
