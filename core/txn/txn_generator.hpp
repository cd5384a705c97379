// Random transactions with Elle's knobs, for the entropy workload and the
// test histories alike: `key_count` keys in play at a time (integers), a
// transaction touches 1 to `txn_keys` of them in 1 to `max_txn_length`
// micro-ops, half reads and half writes; a key takes `max_writes_per_key`
// writes and is then replaced by a fresh one, so that lists stay short and
// reads cheap. Written values come from one counter: every write is unique,
// which is what lets the checker tell who wrote what.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "txn/txn_history.hpp"

namespace atomixtest::txn {

struct TxnShape {
    TxnModel model = TxnModel::ListAppend;
    int key_count = 5;
    int txn_keys = 3;
    int max_txn_length = 4;
    int max_writes_per_key = 32;
    // At most one write to a key per transaction (etcd refuses two puts to one
    // key in a transaction).
    bool one_write_per_key = false;
};

class TxnGenerator {
  public:
    TxnGenerator(TxnShape shape, uint64_t seed);

    // [["append", 3, 17], ["r", 4, null], ...] (list-append) or with "w"
    // (rw-register).
    nlohmann::json next();

  private:
    int64_t draw(int64_t low, int64_t high);  // uniform, from the raw output (replayable)

    TxnShape shape_;
    std::mt19937_64 random_;
    std::vector<int64_t> keys_;  // in play
    std::vector<int> writes_;    // per key in play
    int64_t next_key_ = 0;
    int64_t next_value_ = 1;
};

}  // namespace atomixtest::txn
