// The kv model's string states. An append must not copy the string (keys
// that see thousands of appends would make the search quadratic in time and
// memory), so a string state is its length and two polynomial hashes modulo
// 2^61-1 (appending is two multiply-adds), interned to an id; equal strings,
// however they were built, get the same id. A false match needs both hashes
// and the length to collide (about n^2 / 2^122 for n states). Each state
// remembers how it was first built, to be spelled out in reports.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "check/block_vector.hpp"

namespace atomixtest {

class TextStates {
  public:
    // Ids of text states start here, above any value id.
    static constexpr int64_t kBase = int64_t{1} << 40;
    static bool is_text(int64_t state) { return state >= kBase; }

    // The state of a whole string; `text` must outlive this object.
    int64_t of(const std::string& text);
    int64_t append(int64_t state, const std::string& piece);
    std::string spell(int64_t state) const;

    // The hashes of every prefix of a string, to ask in O(1) whether a state
    // is one of its prefixes (an append can still lead to it).
    struct Prefixes {
        std::vector<uint64_t> h1, h2;  // [i]: of the first i characters
    };
    Prefixes prefixes_of(int64_t state) const;
    bool is_prefix(int64_t state, const Prefixes& of) const {
        const auto& key = texts_[static_cast<size_t>(state - kBase)].key;
        return key.length < of.h1.size() && of.h1[key.length] == key.h1 &&
               of.h2[key.length] == key.h2;
    }
    size_t bytes() const { return texts_.bytes() + ids_.size() * 64; }

  private:
    struct Key {
        uint64_t h1, h2, length;
        bool operator==(const Key& other) const {
            return h1 == other.h1 && h2 == other.h2 && length == other.length;
        }
    };
    struct KeyHash {
        size_t operator()(const Key& key) const { return key.h1 ^ (key.h2 * 31) ^ key.length; }
    };
    struct Text {
        Key key;
        int64_t parent;  // the state appended to, or -1 for a whole string
        const std::string* piece;
    };
    Key key_of(const std::string& text) const;
    int64_t intern(const Key& key, int64_t parent, const std::string* piece);

    BlockVector<Text> texts_;  // a search may make millions: no doubling copies
    std::unordered_map<Key, int64_t, KeyHash> ids_;
};

}  // namespace atomixtest
