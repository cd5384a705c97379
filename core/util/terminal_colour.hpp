// Colour for people at a terminal, and only for them: never into a pipe or a
// file (a CI log, `| tee`), never with NO_COLOR set (no-color.org) or on a
// terminal that says it is dumb.
#pragma once

#include <string>

namespace atomixtest {

enum class Colour { Green, Red, Yellow };

// Whether text written to the descriptor (1: stdout, 2: stderr) may be coloured.
bool colour_wanted(int fd);

// The text in the colour when `on`, else as it is.
std::string painted(const std::string& text, Colour colour, bool on);

}  // namespace atomixtest
