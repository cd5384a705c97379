#include "txn/txn_generator.hpp"

#include <algorithm>

namespace atomixtest::txn {

TxnGenerator::TxnGenerator(TxnShape shape, uint64_t seed) : shape_(shape), random_(seed) {
    shape_.key_count = std::max(1, shape_.key_count);
    shape_.txn_keys = std::clamp(shape_.txn_keys, 1, shape_.key_count);
    shape_.max_txn_length = std::max(1, shape_.max_txn_length);
    shape_.max_writes_per_key = std::max(1, shape_.max_writes_per_key);
    for (int k = 0; k < shape_.key_count; ++k) {
        keys_.push_back(next_key_++);
        writes_.push_back(0);
    }
}

int64_t TxnGenerator::draw(int64_t low, int64_t high) {
    // From the generator's raw output, not a library distribution, so that a
    // seed gives the same transactions with any standard library.
    auto span = static_cast<uint64_t>(high - low) + 1;
    uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t value = random_();
    while (value >= limit) value = random_();
    return low + static_cast<int64_t>(value % span);
}

nlohmann::json TxnGenerator::next() {
    // The keys of this transaction: distinct slots among those in play.
    auto count = static_cast<size_t>(draw(1, shape_.txn_keys));
    std::vector<size_t> slots;
    while (slots.size() < count) {
        auto slot = static_cast<size_t>(draw(0, shape_.key_count - 1));
        if (std::find(slots.begin(), slots.end(), slot) == slots.end()) slots.push_back(slot);
    }
    auto length = draw(1, shape_.max_txn_length);
    const char* write = shape_.model == TxnModel::ListAppend ? "append" : "w";
    auto txn = nlohmann::json::array();
    std::vector<size_t> written;
    for (int64_t i = 0; i < length; ++i) {
        auto slot = slots[static_cast<size_t>(draw(0, static_cast<int64_t>(slots.size()) - 1))];
        bool writes = draw(0, 1) == 1;
        if (writes && shape_.one_write_per_key &&
            std::find(written.begin(), written.end(), slot) != written.end()) {
            writes = false;
        }
        if (!writes) {
            txn.push_back({"r", keys_[slot], nullptr});
            continue;
        }
        written.push_back(slot);
        ++writes_[slot];
        txn.push_back({write, keys_[slot], next_value_++});
    }
    // A key with its share of writes leaves play once the transaction is made.
    for (size_t slot = 0; slot < keys_.size(); ++slot) {
        if (writes_[slot] < shape_.max_writes_per_key) continue;
        keys_[slot] = next_key_++;
        writes_[slot] = 0;
    }
    return txn;
}

}  // namespace atomixtest::txn
