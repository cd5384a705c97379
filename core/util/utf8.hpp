// Whether text is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), the text nlohmann::json can dump.
#pragma once

#include <cstddef>
#include <string_view>

namespace atomixtest {

// The offset of the first byte that does not start a well-formed sequence,
// or std::string_view::npos when all of the text is UTF-8.
size_t invalid_utf8_at(std::string_view text);

}  // namespace atomixtest
