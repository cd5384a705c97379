// txn.append and txn.register on Atomix 3: one transaction through the
// agent's POST /v1/transactions/MAP (the transaction builder and a
// transactional map; Atomix's REST module has none), for the transactional
// checker's list-append and rw-register workloads. The isolation is the
// profile's client_options `txn_isolation` (repeatable-reads, the default, or
// read-committed). A commit that failed (a key written had changed since it
// was read) applied nothing: the verb answers false. The map is "txn" unless
// params name another.
#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

nlohmann::json run(const Params& params, const Endpoint& endpoint) {
    auto isolation = endpoint.options.find("txn_isolation");
    nlohmann::json body = {
        {"isolation",
         isolation == endpoint.options.end() ? std::string("repeatable-reads") : isolation->second},
        {"ops", params.at("ops")}};
    auto map = params.value("map", std::string("txn"));
    return rest_call(endpoint, {.method = "POST",
                                .path = primitive_path("transactions", map),
                                .body = body.dump(),
                                .content_type = "application/json",
                                .effect = Effect::Write});
}

std::vector<Param> txn_params(const std::string& write) {
    return {param("ops", ParamType::Json,
                  "micro-ops [\"" + write + "\", key, value] and [\"r\", key, null]")
                .require()
                .shaped({{"type", "array"},
                         {"items", {{"type", "array"}, {"minItems", 3}, {"maxItems", 3}}}}),
            param("map", ParamType::String, "the transactional map (absent: txn)")};
}

}  // namespace

std::vector<ClientVerb> txn_verbs() {
    return {
        {{"txn.append",
          "a list-append transaction: the micro-ops with reads filled in, or false when its "
          "commit failed (nothing applied)",
          txn_params("append")},
         run},
        {{"txn.register",
          "an rw-register transaction: the micro-ops with reads filled in, or false when its "
          "commit failed",
          txn_params("w")},
         run},
    };
}

}  // namespace atomixtest::atomix
