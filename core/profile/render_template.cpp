#include <cctype>

#include "atomixtest/error.hpp"
#include "atomixtest/profile.hpp"

namespace atomixtest {

namespace {

// Only {name} with a name of letters, digits and '_' is a placeholder, so JSON
// bodies in profiles keep their own braces.
bool is_placeholder_name(const std::string& text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
}

}  // namespace

std::string render_template(const std::string& text, const TemplateValues& values) {
    std::string out;
    size_t position = 0;
    while (position < text.size()) {
        size_t open = text.find('{', position);
        if (open == std::string::npos) break;
        size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        auto key = text.substr(open + 1, close - open - 1);
        if (!is_placeholder_name(key)) {
            out += text.substr(position, open + 1 - position);
            position = open + 1;
            continue;
        }
        out += text.substr(position, open - position);
        auto it = values.find(key);
        if (it == values.end()) {
            std::string known;
            for (const auto& [name, value] : values) known += (known.empty() ? "" : ", ") + name;
            throw bad_input("unknown template value {" + key + "} in '" + text +
                            "' (known: " + known + ")");
        }
        out += it->second;
        position = close + 1;
    }
    return out + text.substr(position);
}

}  // namespace atomixtest
