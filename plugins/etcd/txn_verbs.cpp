// txn.append and txn.register on etcd: a transaction of micro-ops through
// /v3/kv/txn, for the transactional checker's list-append and rw-register
// workloads. A key K lives at etcd key "_txn/" + K as JSON (1 and "1"
// differ), holding a JSON list (list-append) or value (rw-register).
//
// list-append, as Jepsen's etcd append workload: the lists of the keys to
// append to are read first, then one transaction, guarded by each key's
// mod_revision (absent: create_revision 0), reads with `range` and appends
// with a `put` of the list read, extended. A guard that fails means another
// writer came between: nothing was applied, and the verb answers false.
// rw-register: plain puts and ranges in one transaction.
//
// etcd refuses two puts to one key in one transaction, so a transaction
// writes a key at most once. A read-only transaction's ranges are
// serializable (answered by the member alone) when the profile's
// client_options say `txn_reads: serializable` (else `reads`, else
// linearizable); a transaction that writes goes through the leader whatever.
#include <set>

#include "atomixtest/error.hpp"
#include "gateway.hpp"
#include "map_verbs.hpp"

namespace atomixtest::etcd {

namespace {

std::string etcd_key(const std::string& map, const nlohmann::json& key) {
    return "_txn/" + map + "/" + key.dump();
}

std::string map_of(const Params& params) {
    return params.value("map", std::string("txn"));
}

bool serializable_reads(const Endpoint& endpoint) {
    for (const char* option : {"txn_reads", "reads"}) {
        auto found = endpoint.options.find(option);
        if (found != endpoint.options.end()) return found->second == "serializable";
    }
    return false;
}

// The micro-ops, checked: [f key value] with f the model's write or r, each
// key written at most once.
const nlohmann::json& checked_ops(const Params& params, const std::string& write) {
    const auto& ops = params.at("ops");
    std::set<nlohmann::json> written;
    for (const auto& op : ops) {
        if (!op.is_array() || op.size() != 3 || (op[0] != "r" && op[0] != write)) {
            throw bad_input("a micro-op is [\"" + write +
                            "\", key, value] or [\"r\", key, null], not " + op.dump());
        }
        if (op[0] == write && !written.insert(op[1]).second) {
            throw bad_input("etcd refuses two puts to one key in a transaction: " + ops.dump());
        }
    }
    return ops;
}

nlohmann::json range(const std::string& map, const nlohmann::json& key, bool serializable) {
    nlohmann::json request = {{"key", base64_encode(etcd_key(map, key))}};
    if (serializable) request["serializable"] = true;
    return {{"request_range", request}};
}

nlohmann::json put(const std::string& map, const nlohmann::json& key, const nlohmann::json& value) {
    return {{"request_put",
             {{"key", base64_encode(etcd_key(map, key))}, {"value", base64_encode(value.dump())}}}};
}

// The value a response_range holds (parsed JSON), or null when the key is absent.
nlohmann::json range_value(const nlohmann::json& response) {
    auto kvs = response.value("response_range", nlohmann::json::object())
                   .value("kvs", nlohmann::json::array());
    if (kvs.empty()) return nullptr;
    auto value =
        nlohmann::json::parse(base64_decode(kvs.front().value("value", "")), nullptr, false);
    if (value.is_discarded()) {
        throw Error(ErrorKind::Internal, "etcd key " + base64_decode(kvs.front().value("key", "")) +
                                             " does not hold JSON");
    }
    return value;
}

// The completed micro-ops: reads filled from the transaction's responses.
nlohmann::json completed(const nlohmann::json& ops, const nlohmann::json& reply) {
    auto done = ops;
    const auto& responses = reply.value("responses", nlohmann::json::array());
    for (size_t i = 0; i < done.size() && i < responses.size(); ++i) {
        if (done[i][0] == "r") done[i][2] = range_value(responses[i]);
    }
    return done;
}

struct Seen {
    nlohmann::json list;  // null: absent
    std::string mod_revision = "0";
};

// Phase one: the lists of the keys to append to, read together. It writes
// nothing, so any failure means the transaction certainly did not happen.
std::map<std::string, Seen> read_appended(const std::string& map, const nlohmann::json& ops,
                                          const Endpoint& endpoint) {
    nlohmann::json keys = nlohmann::json::array(), reads = nlohmann::json::array();
    for (const auto& op : ops) {
        if (op[0] == "append") {
            keys.push_back(op[1]);
            reads.push_back(range(map, op[1], serializable_reads(endpoint)));
        }
    }
    std::map<std::string, Seen> seen;
    if (keys.empty()) return seen;
    nlohmann::json reply;
    try {
        reply = call_read(endpoint, "kv/txn", {{"success", reads}});
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::BadInput) throw;
        throw Error(ErrorKind::Unavailable,
                    std::string("reading before appending: ") + error.what());
    }
    const auto& responses = reply.value("responses", nlohmann::json::array());
    for (size_t i = 0; i < keys.size(); ++i) {
        Seen entry;
        if (i < responses.size()) {
            entry.list = range_value(responses[i]);
            auto kvs = responses[i]["response_range"].value("kvs", nlohmann::json::array());
            if (!kvs.empty()) entry.mod_revision = kvs.front().value("mod_revision", "0");
        }
        seen[etcd_key(map, keys[i])] = entry;
    }
    return seen;
}

nlohmann::json list_append(const Params& params, const Endpoint& endpoint) {
    const auto& ops = checked_ops(params, "append");
    auto map = map_of(params);
    auto seen = read_appended(map, ops, endpoint);
    nlohmann::json compare = nlohmann::json::array(), success = nlohmann::json::array();
    bool writes = !seen.empty();
    for (const auto& op : ops) {
        if (op[0] == "r") {
            success.push_back(range(map, op[1], !writes && serializable_reads(endpoint)));
            continue;
        }
        const auto& before = seen.at(etcd_key(map, op[1]));
        auto encoded = base64_encode(etcd_key(map, op[1]));
        compare.push_back(before.list.is_null()
                              ? nlohmann::json{{"key", encoded},
                                               {"target", "CREATE"},
                                               {"result", "EQUAL"},
                                               {"create_revision", "0"}}
                              : nlohmann::json{{"key", encoded},
                                               {"target", "MOD"},
                                               {"result", "EQUAL"},
                                               {"mod_revision", before.mod_revision}});
        auto list = before.list.is_array() ? before.list : nlohmann::json::array();
        list.push_back(op[2]);
        success.push_back(put(map, op[1], list));
    }
    // A read-only transaction has no effect: it may be tried again.
    auto reply = writes ? call(endpoint, "kv/txn", {{"compare", compare}, {"success", success}})
                        : call_read(endpoint, "kv/txn", {{"success", success}});
    if (!reply.value("succeeded", false)) return false;
    return completed(ops, reply);
}

nlohmann::json rw_register(const Params& params, const Endpoint& endpoint) {
    const auto& ops = checked_ops(params, "w");
    auto map = map_of(params);
    nlohmann::json success = nlohmann::json::array();
    bool writes = false;
    for (const auto& op : ops) writes |= op[0] == "w";
    for (const auto& op : ops) {
        success.push_back(op[0] == "r" ? range(map, op[1], !writes && serializable_reads(endpoint))
                                       : put(map, op[1], op[2]));
    }
    auto reply = writes ? call(endpoint, "kv/txn", {{"success", success}})
                        : call_read(endpoint, "kv/txn", {{"success", success}});
    return completed(ops, reply);
}

std::vector<Param> txn_params(const std::string& write) {
    return {param("ops", ParamType::Json,
                  "micro-ops [\"" + write + "\", key, value] and [\"r\", key, null]")
                .require()
                .shaped({{"type", "array"},
                         {"items", {{"type", "array"}, {"minItems", 3}, {"maxItems", 3}}}}),
            param("map", ParamType::String, "the keys' namespace (absent: txn)")};
}

}  // namespace

std::vector<ClientVerb> txn_verbs() {
    return {
        {{"txn.append",
          "a list-append transaction: the micro-ops with reads filled in, or false when "
          "another writer came between (nothing applied)",
          txn_params("append")},
         list_append},
        {{"txn.register", "an rw-register transaction: the micro-ops with reads filled in",
          txn_params("w")},
         rw_register},
    };
}

}  // namespace atomixtest::etcd
