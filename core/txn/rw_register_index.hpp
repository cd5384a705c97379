// The indexes of the rw-register inference: who wrote each value (every
// write, and each transaction's final "external" write of a key), each
// transaction's external reads (its first access to a key, when a read), and
// the version order edges inferred per key.
#pragma once

#include <tuple>
#include <vector>

#include "txn/inference.hpp"
#include "txn/keyed_index.hpp"

namespace atomixtest::txn {

struct ExternalRead {
    uint32_t txn;
    uint32_t key;
    uint32_t value;  // or nil
};

// v1 -> v2 on key: v1 was the key's value before v2 (v1 may be nil).
using VersionEdge = std::tuple<uint32_t, uint32_t, uint32_t>;  // key, v1, v2

struct RegisterIndex {
    explicit RegisterIndex(const TxnHistory& history);

    const TxnHistory& history;
    uint32_t nil;              // the value id of nil
    KeyedIndex all_writers;    // (key, value) -> txn | kIntermediate, any write
    KeyedIndex final_writers;  // (key, value) -> ok or info txn whose last write it was
    std::vector<ExternalRead> external_reads;  // of ok transactions, by txn
    KeyedIndex reader_groups;                  // (key, value or nil) -> group
    std::vector<uint32_t> group_at, readers;
    std::vector<VersionEdge> versions;  // sorted, unique

    uint32_t final_writer(uint32_t key, uint32_t value) const {
        return value == nil ? kNone : final_writers.find(key, value);
    }
    std::pair<const uint32_t*, const uint32_t*> readers_of(uint32_t key, uint32_t value) const;
    bool precedes(uint32_t key, uint32_t v1, uint32_t v2) const;
};

// Writers (reporting duplicate writes), external reads and reader groups.
void build_register_index(RegisterIndex& index, std::vector<DirectAnomaly>& anomalies,
                          bool& unsound);
// Version edges: nil before every value; writes follow reads. A key whose
// edges make a cycle is reported, and keeps only its nil edges.
void infer_versions(RegisterIndex& index, std::vector<DirectAnomaly>& anomalies);
// Garbage reads, G1a, G1b, internal inconsistency and lost updates.
void check_register_reads(const RegisterIndex& index, std::vector<DirectAnomaly>& anomalies);

}  // namespace atomixtest::txn
