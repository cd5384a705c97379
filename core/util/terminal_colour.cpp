#include "util/terminal_colour.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace atomixtest {

bool colour_wanted(int fd) {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour != nullptr && *no_colour != '\0') return false;
    const char* term = std::getenv("TERM");
    if (term == nullptr || std::strcmp(term, "dumb") == 0) return false;
    return isatty(fd) == 1;
}

std::string painted(const std::string& text, Colour colour, bool on) {
    if (!on) return text;
    const char* code = colour == Colour::Green ? "32" : colour == Colour::Red ? "31" : "33";
    return std::string("\033[") + code + ";1m" + text + "\033[0m";
}

}  // namespace atomixtest
