// The anomaly classes the transactional checker reports and the consistency
// models that forbid them, in one table each. The cycle classes are Adya's
// (G0 write cycles, G1c cyclic information flow, G-single read skew, G2-item
// anti-dependency cycles) plus Elle's G-nonadjacent (anti-dependencies never
// adjacent: what snapshot isolation forbids beyond G-single), each also in a
// -process and a -realtime variant that needs session or real-time order.
// The rest are found without cycles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atomixtest::txn {

enum class AnomalyClass : uint8_t {
    // Found directly in the transactions.
    DuplicateWrites,    // a value written (appended) to a key twice: the inference assumes not
    DuplicateElements,  // a read of a list holding an element twice
    GarbageRead,        // a read of something nobody wrote
    IncompatibleOrder,  // two reads of a list that are not one a prefix of the other
    CyclicVersions,     // registers: the inferred version order of a key has a cycle
    G1a,                // aborted read: a read of a failed transaction's write
    G1b,                // intermediate read: a read of a write its writer overwrote
    Internal,           // a transaction that does not see its own earlier writes and reads
    FutureRead,         // a transaction that reads what it writes only later
    LostUpdate,         // two committed transactions read the same version and both wrote
    // Cycles, by the edges they need.
    G0,
    G1c,
    GSingle,
    GNonadjacent,
    G2Item,
    G0Process,
    G1cProcess,
    GSingleProcess,
    GNonadjacentProcess,
    G2ItemProcess,
    G0Realtime,
    G1cRealtime,
    GSingleRealtime,
    GNonadjacentRealtime,
    G2ItemRealtime,
};
constexpr int kAnomalyClassCount = 25;
using AnomalySet = uint32_t;  // one bit per class
constexpr AnomalySet bit(AnomalyClass c) {
    return AnomalySet{1} << static_cast<int>(c);
}

const char* to_string(AnomalyClass c);
std::string_view describe(AnomalyClass c);  // one line, for people
bool is_cycle(AnomalyClass c);

// A cycle class as its data part (G0 .. G2-item) and its variant.
enum class CycleVariant : uint8_t { Data, Process, Realtime };
AnomalyClass cycle_class(int data_kind, CycleVariant variant);  // data_kind: 0 G0 .. 4 G2-item
int data_kind(AnomalyClass c);                                  // of a cycle class
CycleVariant variant(AnomalyClass c);                           // of a cycle class

// What finding `c` already implies (a G0 is a G1c, a G-single a G2-item, a
// data cycle is also a -process and a -realtime one): searching for these in
// the same strongly connected component adds nothing.
AnomalySet implied_by(AnomalyClass c);

enum class ConsistencyModel : uint8_t {
    ReadUncommitted,
    ReadCommitted,
    RepeatableRead,
    SnapshotIsolation,
    Serializable,
    StrongSessionSnapshotIsolation,
    StrongSessionSerializable,
    StrictSerializable,
};
constexpr int kConsistencyModelCount = 8;

const char* to_string(ConsistencyModel model);
// Throws Error(BadInput) listing the models.
ConsistencyModel consistency_model_named(std::string_view name);
std::string consistency_model_names();  // "strict-serializable, serializable, ..."

AnomalySet forbidden_by(ConsistencyModel model);
bool needs_process_order(ConsistencyModel model);
bool needs_realtime_order(ConsistencyModel model);

// The models the found anomalies rule out: `weakest` those implied by no
// other ruled-out model, `also` the stronger ones.
struct RuledOut {
    std::vector<ConsistencyModel> weakest;
    std::vector<ConsistencyModel> also;
};
RuledOut ruled_out(AnomalySet found);

}  // namespace atomixtest::txn
