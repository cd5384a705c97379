// The transactional checker (`atomix-test check --model list-append|
// rw-register`): Elle's inference over a history of transactions, the
// dependency graph, its cycles, and a verdict for a consistency model.
//
// Valid when none of the anomalies the model forbids was found; invalid when
// one was; unknown when the search for a forbidden class gave up (see
// CycleSearchLimits) or a value was written twice (the inference assumes
// every write unique) and nothing forbidden was found otherwise. The report
// lists every class found, forbidden or not, and the models they rule out.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "txn/anomaly_classes.hpp"
#include "txn/cycle_search.hpp"
#include "txn/txn_history.hpp"

namespace atomixtest::txn {

struct TxnCheckOptions {
    TxnModel model = TxnModel::ListAppend;
    ConsistencyModel consistency = ConsistencyModel::StrictSerializable;
    CycleSearchLimits limits;
    size_t examples = 8;  // anomalies explained per class (all are counted)
};

enum class TxnVerdict { Valid, Invalid, Unknown };
const char* to_string(TxnVerdict verdict);  // "valid", "invalid", "unknown"

// One anomaly, explained: its transactions in the order the text names them
// (T1, T2, ...); a cycle's steps give the dependency from each to the next.
struct TxnAnomaly {
    AnomalyClass type = AnomalyClass::G0;
    std::vector<uint32_t> txns;
    std::vector<uint8_t> steps;  // cycles: the dependency bit from txns[i] to txns[i + 1]
    std::string explanation;
};

struct TxnCheckResult {
    TxnVerdict verdict = TxnVerdict::Valid;
    TxnCheckOptions options;
    size_t ok = 0, info = 0, fail = 0;
    AnomalySet found = 0;      // every class found
    AnomalySet forbidden = 0;  // of them, those the consistency model forbids
    AnomalySet undecided = 0;  // forbidden classes whose search gave up
    bool unsound = false;      // a value written twice
    std::map<AnomalyClass, size_t> counts;
    std::vector<TxnAnomaly> anomalies;  // up to options.examples per class, most severe first
    RuledOut ruled_out;
    size_t edges = 0;
    size_t components = 0;  // strongly connected, of two or more transactions
    size_t largest_component = 0;
    std::chrono::duration<double> elapsed{0};
    TxnHistory history;  // what the anomalies' transaction numbers refer to
};

TxnCheckResult check_txn_history(TxnHistory history, const TxnCheckOptions& options);
TxnCheckResult check_txn_file(const std::filesystem::path& path, HistoryFormat format,
                              const TxnCheckOptions& options);

}  // namespace atomixtest::txn
