// The Kubernetes API spoken over HTTPS with libcurl: client certificates or a
// bearer token from the kubeconfig, the server checked against its CA. Each
// failure says which server and context, and what to do: an API server that
// does not answer is an Environment error within the connect timeout (5 s by
// default), never a hang; a refusal (401, 403) quotes the server's own reason.
#pragma once

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "kubeconfig.hpp"

namespace atomixtest::kube {

struct ApiReply {
    long status = 0;
    std::string body;
    nlohmann::json json() const;  // null for an empty body
};

class ApiClient {
  public:
    explicit ApiClient(ApiEndpoint endpoint,
                       std::chrono::milliseconds connect_timeout = std::chrono::seconds(5));
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    // Any status comes back; only a request that got no answer throws.
    ApiReply call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& content_type = "application/json",
                  std::chrono::milliseconds timeout = std::chrono::seconds(30));

    // A 2xx answer's JSON, else the status as an Error: 404 NotFound, 401/403
    // Environment (the credentials or the cluster's rules), 422/400 BadInput,
    // the rest Unavailable; each with the server's own message.
    nlohmann::json get(const std::string& path);
    nlohmann::json post(const std::string& path, const nlohmann::json& body);
    nlohmann::json merge_patch(const std::string& path, const nlohmann::json& body);
    // DELETE; an object already gone is no error.
    void remove(const std::string& path);

    // GET /version's gitVersion: the first call of a session, so that an
    // unreachable server or refused credentials are said before anything else.
    std::string server_version();

    const ApiEndpoint& endpoint() const { return endpoint_; }

  private:
    nlohmann::json expect_success(const std::string& method, const std::string& path,
                                  const ApiReply& reply);

    ApiEndpoint endpoint_;
    std::chrono::milliseconds connect_timeout_;
    std::mutex mutex_;  // one easy handle, its connection reused
    void* curl_ = nullptr;
};

}  // namespace atomixtest::kube
