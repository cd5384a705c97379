#include "gateway.hpp"

#include <chrono>
#include <cstring>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/interrupt.hpp"

namespace atomixtest::etcd {

namespace {
constexpr auto kReadRetryPause = std::chrono::milliseconds(50);
constexpr const char* kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

std::string base64_encode(const std::string& data) {
    std::string out;
    unsigned value = 0;
    int bits = -6;
    for (unsigned char c : data) {
        value = (value << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(kAlphabet[(value >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(kAlphabet[((value << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

std::string base64_decode(const std::string& text) {
    std::string out;
    unsigned value = 0;
    int bits = -8;
    for (char c : text) {
        const char* position = std::strchr(kAlphabet, c);
        if (c == '=' || c == '\0' || position == nullptr) break;
        value = (value << 6) + static_cast<unsigned>(position - kAlphabet);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((value >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

nlohmann::json call(const Endpoint& endpoint, const std::string& path, const nlohmann::json& body) {
    auto response = http_request(
        {.method = "POST",
         .url = "http://" + endpoint.host + ":" + std::to_string(endpoint.port) + "/v3/" + path,
         .body = body.dump(),
         .timeout = endpoint.timeout});
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status == 200 && !json.is_discarded()) return json;
    std::string message = json.is_discarded() ? response.body : json.value("error", response.body);
    std::string where = "etcd " + path + " at 127.0.0.1:" + std::to_string(endpoint.port);
    if (response.status == 400) throw bad_input(where + ": " + message);
    throw Error(ErrorKind::Timeout, where + ": " + message);
}

nlohmann::json call_read(const Endpoint& endpoint, const std::string& path,
                         const nlohmann::json& request) {
    // A serializable read is answered by the member alone, without asking the
    // leader: faster, and stale when the member is cut off (a profile option,
    // so that scenarios and entropy runs can show what it costs).
    auto body = request;
    auto reads = endpoint.options.find("reads");
    if (path == "kv/range" && reads != endpoint.options.end() && reads->second == "serializable") {
        body["serializable"] = true;
    }
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now() + endpoint.timeout;
    while (true) {
        auto attempt = endpoint;
        attempt.timeout =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        try {
            return call(attempt, path, body);
        } catch (const Error& error) {
            if (error.kind() == ErrorKind::BadInput) throw;
            if (Clock::now() + kReadRetryPause >= deadline) throw;
        }
        throw_if_interrupted("an etcd read");
        std::this_thread::sleep_for(kReadRetryPause);
    }
}

std::string map_key(const Params& params) {
    return params.at("map").get<std::string>() + "/" + params.at("key").get<std::string>();
}

Revisioned read_key(const Endpoint& endpoint, const std::string& key) {
    auto reply = call_read(endpoint, "kv/range", {{"key", base64_encode(key)}});
    auto kvs = reply.value("kvs", nlohmann::json::array());
    if (kvs.empty()) return {};
    return {base64_decode(kvs.front().value("value", "")),
            kvs.front().value("mod_revision", std::string("0"))};
}

namespace {

bool put_if(const Endpoint& endpoint, const std::string& key, const nlohmann::json& compare,
            const std::string& value) {
    auto reply = call(
        endpoint, "kv/txn",
        {{"compare", {compare}},
         {"success",
          {{{"request_put", {{"key", base64_encode(key)}, {"value", base64_encode(value)}}}}}}});
    return reply.value("succeeded", false);
}

}  // namespace

bool compare_and_put(const Endpoint& endpoint, const std::string& key, const nlohmann::json& old,
                     const std::string& value) {
    // An absent key has create_revision 0; a present one is compared by value.
    auto encoded = base64_encode(key);
    return put_if(endpoint, key,
                  old.is_null() ? nlohmann::json{{"key", encoded},
                                                 {"target", "CREATE"},
                                                 {"result", "EQUAL"},
                                                 {"create_revision", "0"}}
                                : nlohmann::json{{"key", encoded},
                                                 {"target", "VALUE"},
                                                 {"result", "EQUAL"},
                                                 {"value", base64_encode(old.get<std::string>())}},
                  value);
}

bool put_if_unchanged(const Endpoint& endpoint, const std::string& key, const std::string& seen,
                      const std::string& value) {
    return put_if(endpoint, key,
                  {{"key", base64_encode(key)},
                   {"target", "MOD"},
                   {"result", "EQUAL"},
                   {"mod_revision", seen}},
                  value);
}

}  // namespace atomixtest::etcd
