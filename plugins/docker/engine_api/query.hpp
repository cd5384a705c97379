// Query-string pieces of Engine API paths.
#pragma once

#include <string>

#include "atomixtest/http.hpp"

namespace atomixtest::docker {

// filters={"label":["KEY"]} or {"label":["KEY=VALUE"]}, encoded.
inline std::string label_filter(const std::string& selector) {
    return url_encode(R"({"label":[")" + selector + R"("]})");
}

// filters={"name":["NAME"]}, encoded (the engine matches names containing it).
inline std::string name_filter(const std::string& name) {
    return url_encode(R"({"name":[")" + name + R"("]})");
}

}  // namespace atomixtest::docker
