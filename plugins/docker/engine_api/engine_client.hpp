// The Docker Engine API over libcurl: the unix socket by default, DOCKER_HOST
// (unix:// or tcp://) when set. The API version is negotiated from the
// engine's /version on first use, so a newer or older engine is spoken to in a
// version it accepts. Engine errors become typed errors carrying its message.
#pragma once

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace atomixtest::docker {

struct EngineAddress {
    std::string unix_socket;  // set for unix://
    std::string base_url;     // http://host:port for tcp://, http://docker for unix://
    std::string shown;        // as the user wrote it, for messages
};

// DOCKER_HOST, or unix:///var/run/docker.sock. Throws BadInput for other schemes.
EngineAddress engine_address_from_environment();

// The version to speak: the engine's own, capped at the newest this client
// knows, and never below the oldest the engine accepts. Versions are "1.41".
std::string negotiate_api_version(const std::string& engine_version,
                                  const std::string& engine_minimum);
constexpr const char* kNewestKnownApiVersion = "1.47";

struct EngineReply {
    long status = 0;
    std::string body;
    nlohmann::json json() const;
};

class EngineClient {
  public:
    explicit EngineClient(EngineAddress address);

    // path is unversioned ("/containers/json"); the negotiated prefix is added.
    // Statuses >= 400 throw: 404 NotFound, 409 BadInput (a name in use), else
    // Environment, each with the engine's own message.
    EngineReply call(const std::string& method, const std::string& path,
                     const std::string& body = "",
                     const std::string& content_type = "application/json",
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));
    nlohmann::json get(const std::string& path);
    nlohmann::json post(const std::string& path, const nlohmann::json& body = nullptr);

    const std::string& api_version();
    const EngineAddress& address() const { return address_; }

  private:
    EngineReply send(const std::string& method, const std::string& url, const std::string& body,
                     const std::string& content_type, std::chrono::milliseconds timeout);
    void check_reachable() const;
    EngineAddress address_;
    std::once_flag negotiated_;
    std::string version_;
};

}  // namespace atomixtest::docker
