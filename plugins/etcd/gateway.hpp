// etcd's v3 JSON gateway (grpc-gateway, /v3/...): keys and values travel
// base64-encoded inside JSON bodies.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "atomixtest/client.hpp"

namespace atomixtest::etcd {

std::string base64_encode(const std::string& data);
std::string base64_decode(const std::string& text);

// POSTs body to /v3/<path> and returns the parsed answer. An error answer from
// etcd becomes Error(Timeout) (etcd cannot say whether a failed write was
// applied) unless it is certainly a rejection.
nlohmann::json call(const Endpoint& endpoint, const std::string& path, const nlohmann::json& body);

// A read has no effect, so one that fails (no leader yet, "leader changed"
// during an election) is tried again until the endpoint's timeout is spent, as
// etcd's own client does; the last failure is thrown.
nlohmann::json call_read(const Endpoint& endpoint, const std::string& path,
                         const nlohmann::json& body);

// Where a map's key lives in etcd's flat keyspace: "MAP/KEY". Registers and
// counters have keys of their own: "_value/NAME", "_counter/NAME".
std::string map_key(const Params& params);

// The value at a key (null when absent) and the revision it was last written
// at (0 when absent), read linearizably.
struct Revisioned {
    nlohmann::json value;
    std::string mod_revision = "0";
};
Revisioned read_key(const Endpoint& endpoint, const std::string& key);

// Writes value at key if it holds `old` (null: if absent), in one transaction;
// returns whether it did.
bool compare_and_put(const Endpoint& endpoint, const std::string& key, const nlohmann::json& old,
                     const std::string& value);

// Writes value at key if nobody wrote it since `seen` (a mod_revision, "0" for
// absent); returns whether it did.
bool put_if_unchanged(const Endpoint& endpoint, const std::string& key, const std::string& seen,
                      const std::string& value);

}  // namespace atomixtest::etcd
