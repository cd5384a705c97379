#include "atomixtest/error.hpp"
#include "atomixtest/profile.hpp"

namespace atomixtest {

std::string render_template(const std::string& text, const TemplateValues& values) {
    std::string out;
    size_t position = 0;
    while (position < text.size()) {
        size_t open = text.find('{', position);
        if (open == std::string::npos) break;
        size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        out += text.substr(position, open - position);
        auto key = text.substr(open + 1, close - open - 1);
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
