#include "util/json_pointer.hpp"

namespace atomixtest {

std::string pointer_append(const std::string& pointer, const std::string& token) {
    std::string escaped;
    for (char c : token) {
        if (c == '~') {
            escaped += "~0";
        } else if (c == '/') {
            escaped += "~1";
        } else {
            escaped += c;
        }
    }
    return pointer + "/" + escaped;
}

std::string pointer_append(const std::string& pointer, size_t index) {
    return pointer + "/" + std::to_string(index);
}

}  // namespace atomixtest
