// What the client observations say, for each model: anomalies visible in the
// transactions themselves, and the dependencies between transactions (ww, wr,
// rw) that the cycle search works on, with an explainer that puts any of them
// into words later. Elle's inference rules:
//   list-append: the longest read of a key is its version order (every other
//     read must be a prefix of it); an append never read comes after the last
//     element read.
//   rw-register: nil precedes every value; within a transaction a write
//     follows what it read (writes-follow-reads); written values are unique.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "txn/anomaly_classes.hpp"
#include "txn/txn_history.hpp"

namespace atomixtest::txn {

// Kinds of dependency, one bit each: an edge may be several at once.
enum EdgeBit : uint8_t { kWw = 1, kWr = 2, kRw = 4, kProcess = 8, kRealtime = 16 };
constexpr uint8_t kDataBits = kWw | kWr | kRw;
const char* edge_name(uint8_t bit);  // "ww", "wr", "rw", "process", "realtime"

struct EdgeRecord {
    uint32_t from = 0;
    uint32_t to = 0;
    uint8_t bits = 0;
};

// An anomaly found without a cycle: its class, the transactions it involves
// (the one that observed it first) and what happened, in words.
struct DirectAnomaly {
    AnomalyClass type = AnomalyClass::Internal;
    std::vector<uint32_t> txns;
    std::string explanation;
};

// Words for one dependency: why `a` precedes `b` by the data dependency `bit`,
// naming them `a_name` and `b_name`, e.g. "T2 observed T1's append of 1 to
// key y". Empty when no micro-op of theirs shows it.
class DependencyExplainer {
  public:
    virtual ~DependencyExplainer() = default;
    virtual std::string explain(uint32_t a, uint32_t b, uint8_t bit, const std::string& a_name,
                                const std::string& b_name) const = 0;
};

struct Inference {
    std::vector<DirectAnomaly> anomalies;
    std::vector<EdgeRecord> edges;  // ww, wr and rw, between ok and info transactions
    std::unique_ptr<DependencyExplainer> explainer;
    // The inference's own assumption broke (a value written twice): its
    // dependencies around that value cannot be trusted.
    bool unsound = false;
};

Inference infer_list_append(const TxnHistory& history);
Inference infer_rw_register(const TxnHistory& history);

// A key or value as people write it: 3, "x" (and the EDN keyword :x in EDN).
std::string value_text(const nlohmann::json& value);

}  // namespace atomixtest::txn
