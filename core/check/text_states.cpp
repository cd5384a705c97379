#include "check/text_states.hpp"

#include <algorithm>

namespace atomixtest {

namespace {

constexpr uint64_t kModulus = (1ULL << 61) - 1;
constexpr uint64_t kBase1 = 1000003;
constexpr uint64_t kBase2 = 0x5DEECE66DULL;

uint64_t mul_mod(uint64_t a, uint64_t b) {
    auto product = static_cast<unsigned __int128>(a) * b;
    uint64_t folded =
        static_cast<uint64_t>(product & kModulus) + static_cast<uint64_t>(product >> 61);
    folded = folded >= kModulus ? folded - kModulus : folded;
    return folded >= kModulus ? folded - kModulus : folded;
}

uint64_t add_mod(uint64_t a, uint64_t b) {
    uint64_t sum = a + b;
    return sum >= kModulus ? sum - kModulus : sum;
}

uint64_t power(uint64_t base, uint64_t exponent) {
    uint64_t result = 1;
    for (; exponent; exponent >>= 1, base = mul_mod(base, base)) {
        if (exponent & 1) result = mul_mod(result, base);
    }
    return result;
}

}  // namespace

TextStates::Key TextStates::key_of(const std::string& text) const {
    Key key{0, 0, text.size()};
    for (unsigned char c : text) {
        key.h1 = add_mod(mul_mod(key.h1, kBase1), c + 1u);
        key.h2 = add_mod(mul_mod(key.h2, kBase2), c + 1u);
    }
    return key;
}

int64_t TextStates::intern(const Key& key, int64_t parent, const std::string* piece) {
    auto [found, inserted] = ids_.try_emplace(key, kBase + static_cast<int64_t>(texts_.size()));
    if (inserted) texts_.push_back({key, parent, piece});
    return found->second;
}

int64_t TextStates::of(const std::string& text) {
    return intern(key_of(text), -1, &text);
}

int64_t TextStates::append(int64_t state, const std::string& piece) {
    const auto& base = texts_[static_cast<size_t>(state - kBase)].key;
    auto tail = key_of(piece);
    Key key{add_mod(mul_mod(base.h1, power(kBase1, tail.length)), tail.h1),
            add_mod(mul_mod(base.h2, power(kBase2, tail.length)), tail.h2),
            base.length + tail.length};
    return intern(key, state, &piece);
}

TextStates::Prefixes TextStates::prefixes_of(int64_t state) const {
    auto text = spell(state);
    Prefixes out;
    out.h1.reserve(text.size() + 1);
    out.h2.reserve(text.size() + 1);
    out.h1.push_back(0);
    out.h2.push_back(0);
    for (unsigned char c : text) {
        out.h1.push_back(add_mod(mul_mod(out.h1.back(), kBase1), c + 1u));
        out.h2.push_back(add_mod(mul_mod(out.h2.back(), kBase2), c + 1u));
    }
    return out;
}

std::string TextStates::spell(int64_t state) const {
    std::vector<const std::string*> pieces;
    for (auto at = state; at >= 0;) {
        const auto& text = texts_[static_cast<size_t>(at - kBase)];
        pieces.push_back(text.piece);
        at = text.parent;
    }
    std::string out;
    for (auto piece = pieces.rbegin(); piece != pieces.rend(); ++piece) out += **piece;
    return out;
}

}  // namespace atomixtest
