// A map from (key, value) pairs to a number, for the inference's indexes
// (who wrote k = v, where v sits in k's version order). Workloads draw written
// values from one counter, so a value nearly always belongs to one key: the
// common case is an array indexed by value, and a value seen under a second
// key goes to a hash map.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "txn/txn_history.hpp"

namespace atomixtest::txn {

class KeyedIndex {
  public:
    explicit KeyedIndex(size_t value_count) : key_(value_count, kNone), at_(value_count, kNone) {}

    // False (and nothing changed) when the pair already has a number.
    bool insert(uint32_t key, uint32_t value, uint32_t number) {
        if (key_[value] == kNone) {
            key_[value] = key;
            at_[value] = number;
            return true;
        }
        if (key_[value] == key) return false;
        return overflow_.try_emplace(pair(key, value), number).second;
    }

    void assign(uint32_t key, uint32_t value, uint32_t number) {
        if (!insert(key, value, number)) {
            if (key_[value] == key) {
                at_[value] = number;
            } else {
                overflow_[pair(key, value)] = number;
            }
        }
    }

    // kNone when absent.
    uint32_t find(uint32_t key, uint32_t value) const {
        if (value >= key_.size()) return kNone;
        if (key_[value] == key) return at_[value];
        if (overflow_.empty()) return kNone;
        auto found = overflow_.find(pair(key, value));
        return found == overflow_.end() ? kNone : found->second;
    }

  private:
    static uint64_t pair(uint32_t key, uint32_t value) {
        return (static_cast<uint64_t>(key) << 32) | value;
    }

    std::vector<uint32_t> key_;
    std::vector<uint32_t> at_;
    std::unordered_map<uint64_t, uint32_t> overflow_;
};

}  // namespace atomixtest::txn
