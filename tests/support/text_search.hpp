// Counting what a test looks for in a page, a report or an XML document.
#pragma once

#include <string>

namespace atomixtest::testing {

inline size_t count_of(const std::string& text, const std::string& what) {
    size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
    return count;
}

}  // namespace atomixtest::testing
