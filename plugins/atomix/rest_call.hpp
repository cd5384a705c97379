// One request to an Atomix node's REST API (/v1/...), its failures typed for
// histories. A refused connection is Unavailable: nothing reached the node.
// A timeout or a dropped reply is Timeout: the operation may have happened.
// An HTTP 500 is Atomix saying the primitive operation failed, and Atomix
// cannot say whether a write it timed out on was applied: Timeout for a write,
// Unavailable for a read (a read changes nothing, so it certainly failed).
// 400 and 404 are BadInput.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "atomixtest/client.hpp"
#include "atomixtest/http.hpp"

namespace atomixtest::atomix {

enum class Effect { Read, Write };

struct RestCall {
    std::string method = "GET";
    std::string path;  // after /v1/, segments already encoded
    std::string body;
    std::string content_type = "text/plain";
    Effect effect = Effect::Read;
};

nlohmann::json rest_call(const Endpoint& endpoint, const RestCall& call);

// /v1/TYPE/NAME[/REST...] with each segment percent-encoded.
std::string primitive_path(const std::string& type, const std::string& name,
                           const std::string& rest = "");

}  // namespace atomixtest::atomix
