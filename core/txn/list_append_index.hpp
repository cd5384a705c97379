// The indexes of the list-append inference, shared by its checks, its edges
// and its explainer: who appended each element, each key's version order (its
// longest read) and the position of each element in it, and who read a list
// ending with a given element.
#pragma once

#include <string>
#include <vector>

#include "txn/inference.hpp"
#include "txn/keyed_index.hpp"

namespace atomixtest::txn {

// Set in a writer's number when its append was not the transaction's last to
// that key: reading it is an intermediate read.
constexpr uint32_t kIntermediate = 0x80000000u;

struct ListIndex {
    explicit ListIndex(const TxnHistory& history);

    const TxnHistory& history;
    // The last "element" of an empty list: reading [] is reading the initial state.
    uint32_t init;
    KeyedIndex writers;    // (key, element) -> txn, | kIntermediate
    KeyedIndex positions;  // (key, element) -> position in the key's version order
    std::vector<uint32_t> order_at, order_size, order;  // per key, into order
    std::vector<uint32_t> order_reader;                 // per key: whose read it is, or kNone
    KeyedIndex reader_groups;                           // (key, last element or init) -> group
    std::vector<uint32_t> group_at;                     // group g: readers[group_at[g]..[g+1])
    std::vector<uint32_t> readers;
    std::vector<uint8_t> duplicated;  // per mop: a list read holding an element twice

    uint32_t writer(uint32_t key, uint32_t element) const {
        auto found = writers.find(key, element);
        return found == kNone ? kNone : found & ~kIntermediate;
    }
    uint32_t last_of(const Mop& read) const {
        return read.list_size == 0 ? init : history.list(read)[read.list_size - 1];
    }
    // What was appended to `key` just before `element`: its predecessor in the
    // version order; for an element never read, the order's last element (it
    // came after everything read); init when nothing precedes it.
    uint32_t previous(uint32_t key, uint32_t element) const;
    // The ok transactions whose read of `key` ended with `last` (or init).
    std::pair<const uint32_t*, const uint32_t*> readers_of(uint32_t key, uint32_t last) const;
};

// Fills writers (and reports duplicate appends), the version orders (and
// reports duplicate elements), positions and reader groups.
void build_list_index(ListIndex& index, std::vector<DirectAnomaly>& anomalies, bool& unsound);

// The anomalies of single reads and transactions: incompatible orders,
// garbage reads, G1a, G1b, internal inconsistency, future reads, lost updates.
void check_list_reads(const ListIndex& index, std::vector<DirectAnomaly>& anomalies);

// "[1 2 3]", as Elle prints a list.
std::string list_text(const TxnHistory& history, const Mop& read);

}  // namespace atomixtest::txn
