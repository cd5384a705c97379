// A client plugin performs operations on the system under test through one
// node's LOCAL PORT. Errors are typed: Unavailable means the operation certainly
// did not take effect, Timeout means its outcome is unknown.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atomixtest/verb.hpp"

namespace atomixtest {

struct Endpoint {
    std::string host = "127.0.0.1";
    int port = 0;
    std::chrono::milliseconds timeout{5000};
};

class ClientPlugin {
  public:
    virtual ~ClientPlugin() = default;
    virtual std::vector<VerbSpec> verbs() const = 0;

    // Runs the verb (e.g. "map.get") and returns its result value (null when the
    // key is absent). Throws Error(Unavailable | Timeout | BadInput).
    virtual nlohmann::json invoke(const std::string& verb, const Params& params,
                                  const Endpoint& endpoint) = 0;
};

}  // namespace atomixtest
