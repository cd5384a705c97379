#include "engine_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "util/fd.hpp"

namespace atomixtest::docker {

EngineAddress engine_address_from_environment() {
    const char* set = std::getenv("DOCKER_HOST");
    std::string host = set && *set ? set : "unix:///var/run/docker.sock";
    if (host.rfind("unix://", 0) == 0) {
        return {.unix_socket = host.substr(7), .base_url = "http://docker", .shown = host};
    }
    if (host.rfind("tcp://", 0) == 0) {
        auto rest = host.substr(6);
        while (!rest.empty() && rest.back() == '/') rest.pop_back();
        return {.base_url = "http://" + rest, .shown = host};
    }
    throw bad_input("DOCKER_HOST=" + host +
                    ": only unix:///path/to/docker.sock and tcp://host:port are supported");
}

nlohmann::json EngineReply::json() const {
    if (body.empty()) return nullptr;
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        throw Error(ErrorKind::Environment,
                    "the Docker engine answered with something that is "
                    "not JSON: " +
                        body.substr(0, 200));
    }
    return parsed;
}

EngineClient::EngineClient(EngineAddress address) : address_(std::move(address)) {}

// A unix socket fails in ways curl reports alike; connect once ourselves to
// tell "no engine" from "not allowed".
void EngineClient::check_reachable() const {
    if (address_.unix_socket.empty()) return;
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un where{};
    where.sun_family = AF_UNIX;
    std::strncpy(where.sun_path, address_.unix_socket.c_str(), sizeof where.sun_path - 1);
    if (connect(fd.get(), reinterpret_cast<sockaddr*>(&where), sizeof where) == 0) return;
    int error = errno;
    if (error == EACCES || error == EPERM) {
        throw environment_error("permission denied on the Docker socket " + address_.unix_socket +
                                " (run as root or as a member of its group, usually 'docker')");
    }
    throw environment_error("no Docker engine answers at " + address_.shown + " (" +
                            strerror(error) +
                            "; start dockerd, e.g. with scripts/setup, or set DOCKER_HOST)");
}

EngineReply EngineClient::send(const std::string& method, const std::string& url,
                               const std::string& body, const std::string& content_type,
                               std::chrono::milliseconds timeout) {
    HttpResponse response;
    try {
        response = http_request({.method = method,
                                 .url = url,
                                 .body = body,
                                 .content_type = content_type,
                                 .timeout = timeout,
                                 .unix_socket = address_.unix_socket});
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::Unavailable) {
            throw environment_error("no Docker engine answers at " + address_.shown + " (" +
                                    error.what() + ")");
        }
        throw environment_error(std::string("the Docker engine did not answer: ") + error.what());
    }
    return {response.status, std::move(response.body)};
}

const std::string& EngineClient::api_version() {
    std::call_once(negotiated_, [this] {
        check_reachable();
        auto reply = send("GET", address_.base_url + "/version", "", "application/json",
                          std::chrono::seconds(10));
        if (reply.status != 200) {
            throw environment_error("the Docker engine at " + address_.shown +
                                    " refused /version (HTTP " + std::to_string(reply.status) +
                                    ")");
        }
        auto version = reply.json();
        version_ = negotiate_api_version(version.value("ApiVersion", "1.24"),
                                         version.value("MinAPIVersion", ""));
    });
    return version_;
}

EngineReply EngineClient::call(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& content_type,
                               std::chrono::milliseconds timeout) {
    auto url = address_.base_url + "/v" + api_version() + path;
    auto reply = send(method, url, body, content_type, timeout);
    if (reply.status < 400) return reply;
    std::string message = reply.body;
    auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
    if (parsed.is_object() && parsed.contains("message")) message = parsed["message"];
    auto where = method + " " + path.substr(0, path.find('?'));
    if (reply.status == 404) throw not_found("Docker: " + message);
    if (reply.status == 409) throw bad_input("Docker: " + message);
    throw environment_error("Docker refused " + where + " (HTTP " + std::to_string(reply.status) +
                            "): " + message);
}

nlohmann::json EngineClient::get(const std::string& path) {
    return call("GET", path).json();
}

nlohmann::json EngineClient::post(const std::string& path, const nlohmann::json& body) {
    return call("POST", path, body.is_null() ? "" : body.dump()).json();
}

}  // namespace atomixtest::docker
