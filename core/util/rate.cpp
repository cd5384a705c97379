#include "atomixtest/rate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "atomixtest/error.hpp"

namespace atomixtest {

const char* const kRatePattern =
    "^[0-9]+(\\.[0-9]+)?([kKmMgGtT][iI]?)?([bB][iI][tT]|[bB][pP][sS])?$";

namespace {

// Longest suffix first, so that "kbit" is not read as "bit".
const std::pair<const char*, double> kUnits[] = {
    {"kibit", 1024.0}, {"mibit", 1048576.0}, {"gibit", 1073741824.0}, {"kbit", 1e3},
    {"mbit", 1e6},     {"gbit", 1e9},        {"tbit", 1e12},          {"kbps", 8e3},
    {"mbps", 8e6},     {"gbps", 8e9},        {"tbps", 8e12},          {"bit", 1},
    {"bps", 8},
};

}  // namespace

int64_t parse_rate(const std::string& text, const std::string& what) {
    auto fail = [&](const std::string& why) {
        return bad_input("invalid rate for " + what + ": '" + text + "' " + why);
    };
    const char* forms =
        "(a number of bits per second, or with a unit: kbit, mbit, gbit, or kbps, mbps for "
        "bytes, as tc writes them: 1mbit, 500kbit)";
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    double scale = 1;
    for (const auto& [unit, factor] : kUnits) {
        std::string suffix = unit;
        if (lower.size() > suffix.size() && lower.ends_with(suffix)) {
            lower.resize(lower.size() - suffix.size());
            scale = factor;
            break;
        }
    }
    if (lower.empty() || lower.find_first_not_of("0123456789.") != std::string::npos) {
        throw fail(forms);
    }
    size_t used = 0;
    double number = 0;
    try {
        number = std::stod(lower, &used);
    } catch (const std::exception&) {
        throw fail(forms);
    }
    if (used != lower.size()) throw fail(forms);
    double bits = number * scale;
    if (!(bits >= 1)) throw fail("is not above 0: a link needs at least 1bit");
    if (!(bits <= static_cast<double>(kMaxRate))) throw fail("is above 100gbit");
    return static_cast<int64_t>(std::llround(bits));
}

std::string format_rate(int64_t bits_per_second) {
    for (const auto& [unit, factor] :
         {std::pair{"gbit", int64_t{1'000'000'000}}, std::pair{"mbit", int64_t{1'000'000}},
          std::pair{"kbit", int64_t{1'000}}}) {
        if (bits_per_second % factor == 0) return std::to_string(bits_per_second / factor) + unit;
    }
    return std::to_string(bits_per_second) + "bit";
}

}  // namespace atomixtest
