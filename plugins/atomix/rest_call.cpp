#include "rest_call.hpp"

#include <algorithm>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/interrupt.hpp"

namespace atomixtest::atomix {

namespace {

constexpr auto kReadAttempt = std::chrono::milliseconds(3000);
constexpr auto kReadRetryPause = std::chrono::milliseconds(100);
// What a write leaves of its timeout for the agent's answer to come back.
constexpr auto kAnswerMargin = std::chrono::milliseconds(500);

// A write asks the agent to wait for Atomix as long as the step allows (less
// the margin, so that the agent answers before the request gives up): Atomix
// alone gives an operation 5 s, less than a Raft election under load takes.
std::string operation_query(const Endpoint& endpoint, const RestCall& call) {
    if (call.effect != Effect::Write || endpoint.timeout <= 2 * kAnswerMargin) return "";
    return std::string(call.path.find('?') == std::string::npos ? "?" : "&") +
           "timeout=" + std::to_string((endpoint.timeout - kAnswerMargin).count());
}

// The agent's word that an operation never reached Atomix ("applied":
// false: the primitive could not be built yet): certainly not done, so a
// `fail`, and safe to ask again.
class NotApplied : public Error {
  public:
    explicit NotApplied(const std::string& message) : Error(ErrorKind::Unavailable, message) {}
};

nlohmann::json call_once(const Endpoint& endpoint, const RestCall& call) {
    auto where = call.method + " /v1/" + call.path + " at " + endpoint.host + ":" +
                 std::to_string(endpoint.port);
    HttpResponse response;
    try {
        response =
            http_request({.method = call.method,
                          .url = "http://" + endpoint.host + ":" + std::to_string(endpoint.port) +
                                 "/v1/" + call.path + operation_query(endpoint, call),
                          .body = call.body,
                          .content_type = call.content_type,
                          .timeout = endpoint.timeout});
    } catch (const Error& error) {
        throw Error(error.kind(), where + ": " + error.what());
    }
    // An empty 200 or a 204 is a null result (JAX-RS writes a null that way).
    if (response.status == 204 || (response.status == 200 && response.body.empty())) {
        return nullptr;
    }
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status == 200 && !json.is_discarded()) return json;
    std::string said = json.is_object() ? json.value("error", response.body) : response.body;
    auto message = where + ": HTTP " + std::to_string(response.status) +
                   (said.empty() ? "" : " " + said.substr(0, 300));
    if (response.status == 400 || response.status == 404) throw bad_input(message);
    if (json.is_object() && json.value("applied", true) == false) throw NotApplied(message);
    throw Error(call.effect == Effect::Read ? ErrorKind::Unavailable : ErrorKind::Timeout, message);
}

}  // namespace

// A read changes nothing, so it is asked again until the step's timeout: a
// node that is restarting, or whose Raft session waits on a leader that was
// cut off (the first request can hang past the election), answers a later one.
nlohmann::json rest_call(const Endpoint& endpoint, const RestCall& call) {
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now() + endpoint.timeout;
    if (call.effect == Effect::Write) {
        // Only what was certainly not applied is asked again: anything else
        // may have been done.
        for (bool first = true;; first = false) {
            auto attempt = endpoint;
            if (!first) {
                attempt.timeout =
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            }
            try {
                return call_once(attempt, call);
            } catch (const NotApplied&) {
                if (Clock::now() + kReadRetryPause + 2 * kAnswerMargin >= deadline) throw;
            }
            throw_if_interrupted("an Atomix write");
            std::this_thread::sleep_for(kReadRetryPause);
        }
    }
    while (true) {
        auto attempt = endpoint;
        attempt.timeout = std::min(
            kReadAttempt,
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
        try {
            return call_once(attempt, call);
        } catch (const Error& error) {
            if (error.kind() == ErrorKind::BadInput) throw;
            if (Clock::now() + kReadRetryPause >= deadline) throw;
        }
        throw_if_interrupted("an Atomix read");
        std::this_thread::sleep_for(kReadRetryPause);
    }
}

std::string primitive_path(const std::string& type, const std::string& name,
                           const std::string& rest) {
    return type + "/" + url_encode(name) + (rest.empty() ? "" : "/" + rest);
}

}  // namespace atomixtest::atomix
