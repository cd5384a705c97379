// A verb is one action a plugin offers (`net.isolate`, `map.put`, `node.kill`).
// Its parameters are declared once, as a JSON Schema object: the same declaration
// validates scenarios, checks CLI input and documents the plugin.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace atomixtest {

using Params = nlohmann::json;

struct VerbSpec {
    std::string name;         // without the plugin prefix: "isolate"
    std::string description;  // one line, shown by --help and `plugins`
    nlohmann::json params;    // JSON Schema of the params object
    bool scoped = false;      // usable with `during:` (the fault has an undo)
};

}  // namespace atomixtest
