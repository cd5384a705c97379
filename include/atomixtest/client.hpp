// A client plugin performs operations on the system under test through one
// node's LOCAL PORT. Errors are typed: Unavailable means the operation certainly
// did not take effect, Timeout means its outcome is unknown.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atomixtest/verb.hpp"

namespace atomixtest {

struct Endpoint {
    std::string host = "127.0.0.1";
    int port = 0;
    std::chrono::milliseconds timeout{5000};
    // The node's profile's client_options (e.g. etcd's reads: serializable).
    std::map<std::string, std::string> options;
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

// The convention of primitives' verbs: the primitive named by its kind (map:
// "the map's name"), then the verb's own params.
std::vector<Param> primitive_params(const std::string& primitive, std::vector<Param> own = {});
// A required string param.
Param text_param(const std::string& name, const std::string& help);

// One verb of a client plugin and the code that runs it.
struct ClientVerb {
    VerbSpec spec;
    std::function<nlohmann::json(const Params&, const Endpoint&)> run;
};

// A client plugin that is a table of verbs (most are).
class VerbTableClient : public ClientPlugin {
  public:
    VerbTableClient(std::string system, const std::vector<ClientVerb>& verbs);
    std::vector<VerbSpec> verbs() const override;
    nlohmann::json invoke(const std::string& verb, const Params& params,
                          const Endpoint& endpoint) override;

  private:
    std::string system_;
    std::map<std::string, ClientVerb> verbs_;
};

}  // namespace atomixtest
