// Anomalies in words, as Elle writes them: the transactions named T1, T2, ...
// and shown as Jepsen operations, then why each precedes the next, ending in
// the contradiction.
//
//   Let:
//     T1 = {:process 1, :type :ok, :value [[:append :x 2] [:append :y 1]]} (lines 3-4)
//     T2 = {:process 0, :type :ok, :value [[:append :x 1] [:r :y [1]]]} (lines 1-2)
//   Then:
//     - T1 < T2, because T2 observed T1's append of 1 to key y.
//     - However, T2 < T1, because T1 appended 2 after T2 appended 1 to x: a contradiction!
#pragma once

#include <string>

#include "txn/cycle_search.hpp"
#include "txn/inference.hpp"

namespace atomixtest::txn {

// {:process 1, :type :ok, :value [[:append :x 2] [:r :y [1]]]} (lines 3-4)
std::string txn_text(const TxnHistory& history, uint32_t txn);
// [[:append :x 2] [:r :y [1]]]
std::string mops_text(const TxnHistory& history, uint32_t txn);

std::string explain_cycle(const TxnHistory& history, const DependencyExplainer& explainer,
                          const Cycle& cycle);
std::string explain_direct(const TxnHistory& history, const DirectAnomaly& anomaly);

// Why a precedes b by `bit` (any kind, process and real time included).
std::string explain_step(const TxnHistory& history, const DependencyExplainer& explainer,
                         uint32_t a, uint32_t b, uint8_t bit, const std::string& a_name,
                         const std::string& b_name);

}  // namespace atomixtest::txn
