// Mutations of a text for the readers' fuzz tests: truncations, replaced,
// inserted and erased characters from the formats' own alphabet, slices
// copied elsewhere; one to four at a time.
#pragma once

#include <random>
#include <string>

namespace atomixtest::testing {

inline std::string mutate(std::string text, std::mt19937_64& random) {
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
    static const std::string alphabet = "{}[]()#_:;,\"\\ \n0123456789-.eNMnil:okinfo#{}abc\x01\xff";
    int edits = 1 + static_cast<int>(pick(4));
    for (int i = 0; i < edits && !text.empty(); ++i) {
        switch (pick(5)) {
            case 0:
                text.resize(pick(text.size()));
                break;  // truncate
            case 1:
                text[pick(text.size())] = alphabet[pick(alphabet.size())];
                break;
            case 2:
                text.insert(pick(text.size()), 1, alphabet[pick(alphabet.size())]);
                break;
            case 3:
                text.erase(pick(text.size()), 1 + pick(8));
                break;
            default: {  // duplicate a slice elsewhere
                auto from = pick(text.size());
                auto slice = text.substr(from, 1 + pick(40));
                text.insert(pick(text.size()), slice);
            }
        }
    }
    return text;
}

}  // namespace atomixtest::testing
