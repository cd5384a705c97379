#include <algorithm>

#include "util/close_matches.hpp"

namespace atomixtest {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<std::string> close_matches(const std::string& name,
                                       const std::vector<std::string>& known) {
    std::vector<std::pair<size_t, std::string>> ranked;
    // No verb is this long: a huge name (hostile input) would only cost
    // length x verbs of edit distance to learn nothing.
    if (name.size() > 64) return {};
    for (const auto& candidate : known) {
        size_t distance = edit_distance(name, candidate);
        bool same_family =
            candidate.substr(0, candidate.find('.')) == name.substr(0, name.find('.'));
        // A typo (a few edits), or a verb of the same family when the verb part is unknown.
        if (distance <= 3) {
            ranked.push_back({distance, candidate});
        } else if (same_family && name.find('.') != std::string::npos) {
            ranked.push_back({distance + 10, candidate});
        }
    }
    std::sort(ranked.begin(), ranked.end());
    // Typos found: the rest of the family would only be noise.
    if (!ranked.empty() && ranked.front().first <= 3) {
        std::erase_if(ranked, [](const auto& entry) { return entry.first > 3; });
    }
    std::vector<std::string> best;
    for (size_t i = 0; i < ranked.size() && i < 3; ++i) best.push_back(ranked[i].second);
    return best;
}

}  // namespace atomixtest
