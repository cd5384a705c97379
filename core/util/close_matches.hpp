// "Did you mean": the known names closest to a misspelt one.
#pragma once

#include <string>
#include <vector>

namespace atomixtest {

// Up to three known names closest to a misspelt one, best first.
std::vector<std::string> close_matches(const std::string& name,
                                       const std::vector<std::string>& known);

}  // namespace atomixtest
