// Query-string pieces of Engine API paths.
#pragma once

#include <cctype>
#include <string>

namespace atomixtest::docker {

// Percent-encodes everything but unreserved characters.
inline std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

// filters={"label":["KEY"]} or {"label":["KEY=VALUE"]}, encoded.
inline std::string label_filter(const std::string& selector) {
    return url_encode(R"({"label":[")" + selector + R"("]})");
}

// filters={"name":["NAME"]}, encoded (the engine matches names containing it).
inline std::string name_filter(const std::string& name) {
    return url_encode(R"({"name":[")" + name + R"("]})");
}

}  // namespace atomixtest::docker
