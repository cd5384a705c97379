#include "atomixtest/duration.hpp"

#include <cmath>
#include <regex>

#include "atomixtest/error.hpp"

namespace atomixtest {

const char* const kDurationPattern = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

namespace {

double unit_in_ns(const std::string& unit) {
    if (unit == "ns") return 1;
    if (unit == "us") return 1e3;
    if (unit == "ms") return 1e6;
    if (unit == "s") return 1e9;
    if (unit == "m") return 60e9;
    return 3600e9;  // "h": the pattern admits no other unit
}

}  // namespace

Duration parse_duration(std::string_view text, std::string_view default_unit) {
    // std::regex recurses per character: a text no duration has is refused
    // before it can take the stack.
    if (text.size() > 64) {
        throw bad_input("invalid duration '" + std::string(text.substr(0, 32)) +
                        "...': longer than any duration");
    }
    std::string input(text);
    static const std::regex bare_number("[0-9]+(\\.[0-9]+)?");
    if (!default_unit.empty() && std::regex_match(input, bare_number)) {
        input += default_unit;
    }
    static const std::regex whole(kDurationPattern);
    if (input.empty() || !std::regex_match(input, whole)) {
        throw bad_input("invalid duration '" + std::string(text) +
                        "': expected a number with a unit (ns, us, ms, s, m, h), e.g. 200ms, "
                        "1.5s, 10m30s" +
                        (default_unit.empty()
                             ? std::string()
                             : "; a bare number means " + std::string(default_unit)));
    }
    static const std::regex part("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");
    double total = 0;
    for (auto it = std::sregex_iterator(input.begin(), input.end(), part);
         it != std::sregex_iterator(); ++it) {
        total += std::stod((*it)[1]) * unit_in_ns((*it)[2]);
    }
    // Checked before the conversion: past int64's range llround's result is
    // undefined (it came out negative, and a fault with it did nothing).
    if (!(total <= static_cast<double>(kMaxDuration.count()))) {
        throw bad_input("invalid duration '" + std::string(text) + "': at most 720h (30 days)");
    }
    return Duration(static_cast<Duration::rep>(std::llround(total)));
}

std::string format_duration(Duration duration) {
    using namespace std::chrono;
    auto ns = duration.count();
    if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
    if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
    if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
    return std::to_string(ns) + "ns";
}

}  // namespace atomixtest
