#include "atomixtest/size.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "atomixtest/error.hpp"

namespace atomixtest {

int64_t parse_size(const std::string& text, const std::string& what) {
    auto fail = [&] {
        return bad_input("invalid size for " + what + ": '" + text +
                         "' (expected bytes, or a number with k, m or g, such as 512m or 1.5g)");
    };
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    for (const char* suffix : {"ib", "b"}) {
        std::string s = suffix;
        if (lower.size() > s.size() && lower.ends_with(s)) {
            lower.resize(lower.size() - s.size());
            break;
        }
    }
    double scale = 1;
    if (!lower.empty() && std::string("kmg").find(lower.back()) != std::string::npos) {
        scale = std::pow(1024.0, 1 + static_cast<int>(std::string("kmg").find(lower.back())));
        lower.pop_back();
    }
    if (lower.empty() || lower.find_first_not_of("0123456789.") != std::string::npos) throw fail();
    size_t used = 0;
    double number = 0;
    try {
        number = std::stod(lower, &used);
    } catch (const std::exception&) {
        throw fail();
    }
    if (used != lower.size() || number <= 0) throw fail();
    // Checked before the conversion, which is undefined past int64's range.
    if (!(number * scale <= static_cast<double>(kMaxSize))) {
        throw bad_input("invalid size for " + what + ": '" + text + "' is above 1 PiB");
    }
    return static_cast<int64_t>(std::llround(number * scale));
}

}  // namespace atomixtest
