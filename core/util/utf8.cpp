#include "util/utf8.hpp"

#include <cstdint>

namespace atomixtest {

namespace {

// The length of the well-formed sequence at `at`, or 0. The ranges of the
// second byte are those of RFC 3629's table, which excludes overlong forms
// (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above
// U+10FFFF (F4 90..BF).
size_t sequence_at(std::string_view text, size_t at) {
    auto byte = [&](size_t i) { return static_cast<uint8_t>(text[at + i]); };
    auto continuation = [&](size_t i) { return at + i < text.size() && (byte(i) & 0xC0) == 0x80; };
    uint8_t lead = byte(0);
    if (lead < 0x80) return 1;
    size_t length = 0;
    uint8_t second_min = 0x80;
    uint8_t second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) second_min = 0xA0;
        if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) second_min = 0x90;
        if (lead == 0xF4) second_max = 0x8F;
    } else {
        return 0;
    }
    for (size_t i = 1; i < length; ++i) {
        if (!continuation(i)) return 0;
    }
    return byte(1) >= second_min && byte(1) <= second_max ? length : 0;
}

}  // namespace

size_t invalid_utf8_at(std::string_view text) {
    size_t at = 0;
    while (at < text.size()) {
        size_t length = sequence_at(text, at);
        if (length == 0) return at;
        at += length;
    }
    return std::string_view::npos;
}

}  // namespace atomixtest
