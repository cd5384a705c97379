// lock.*: an atomic lock. Its holder is the node's Atomix session, so a lock
// taken through node 1 is released through node 1.
#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

std::string lock_path(const Params& params) {
    return primitive_path("atomic-lock", string_param(params, "lock"), "lock");
}

}  // namespace

std::vector<ClientVerb> lock_verbs() {
    return {
        {{"lock.lock", "wait for the lock and take it; the result is its version",
          primitive_params("lock", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint, {.method = "POST", .path = lock_path(params), .effect = Effect::Write});
         }},
        {{"lock.unlock", "release the lock", primitive_params("lock", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint,
                 {.method = "DELETE", .path = lock_path(params), .effect = Effect::Write});
         }},
        {{"lock.locked", "whether anyone holds the lock", primitive_params("lock", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.path = lock_path(params)});
         }},
    };
}

}  // namespace atomixtest::atomix
