#include "api_client.hpp"

#include <curl/curl.h>

#include "atomixtest/error.hpp"

namespace atomixtest::kube {

namespace {

size_t append_to(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// PEM text handed to curl as a blob (copied by curl).
void set_blob(CURL* curl, CURLoption option, const std::string& text) {
    curl_blob blob{const_cast<char*>(text.data()), text.size(), CURL_BLOB_COPY};
    curl_easy_setopt(curl, option, &blob);
}

// The server's own words in a Status object, or the start of the body.
std::string reason_of(const ApiReply& reply) {
    auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
    if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string()) {
        return parsed["message"].get<std::string>();
    }
    return reply.body.substr(0, 300);
}

}  // namespace

nlohmann::json ApiReply::json() const {
    if (body.empty()) return nullptr;
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        throw environment_error("the API server answered with something that is not JSON: " +
                                body.substr(0, 200));
    }
    return parsed;
}

ApiClient::ApiClient(ApiEndpoint endpoint, std::chrono::milliseconds connect_timeout)
    : endpoint_(std::move(endpoint)), connect_timeout_(connect_timeout) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    curl_ = curl_easy_init();
    if (!curl_) throw environment_error("libcurl could not start");
}

ApiClient::~ApiClient() {
    if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

ApiReply ApiClient::call(const std::string& method, const std::string& path,
                         const std::string& body, const std::string& content_type,
                         std::chrono::milliseconds timeout) {
    std::lock_guard lock(mutex_);
    auto* curl = static_cast<CURL*>(curl_);
    curl_easy_reset(curl);
    auto url = endpoint_.server + path;
    ApiReply reply;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    // The API server's address is the kubeconfig's: no proxy of the
    // environment stands between.
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    if (endpoint_.certificate_authority) {
        set_blob(curl, CURLOPT_CAINFO_BLOB, endpoint_.certificate_authority->text);
    }
    if (endpoint_.insecure_skip_tls_verify) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (endpoint_.client_certificate && endpoint_.client_key) {
        curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
        set_blob(curl, CURLOPT_SSLCERT_BLOB, endpoint_.client_certificate->text);
        curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
        set_blob(curl, CURLOPT_SSLKEY_BLOB, endpoint_.client_key->text);
    }
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    std::string authorization;
    if (!endpoint_.token.empty()) {
        authorization = "Authorization: Bearer " + endpoint_.token;
        headers = curl_slist_append(headers, authorization.c_str());
    }
    std::string type = "Content-Type: " + content_type;
    if (!body.empty()) {
        headers = curl_slist_append(headers, type.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    auto code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    auto said = std::string(error[0] ? error : curl_easy_strerror(code));
    auto who = "the API server at " + endpoint_.server + " (context " + endpoint_.context + ")";
    switch (code) {
        case CURLE_OK:
            break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
            throw environment_error(who + " does not answer: " + said);
        case CURLE_OPERATION_TIMEDOUT: {
            long connected = 0;
            curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
            if (connected == 0) {
                throw environment_error(who + " does not answer within " +
                                        std::to_string(connect_timeout_.count()) + " ms: " + said);
            }
            throw Error(ErrorKind::Timeout, method + " " + path + ": no answer from " + who +
                                                " within " + std::to_string(timeout.count()) +
                                                " ms");
        }
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
            throw environment_error("TLS with " + who + " failed: " + said +
                                    " (the kubeconfig's certificate-authority and client "
                                    "certificate come from " +
                                    endpoint_.source + ")");
        default:
            throw environment_error(method + " " + path + " to " + who + " failed: " + said);
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

nlohmann::json ApiClient::expect_success(const std::string& method, const std::string& path,
                                         const ApiReply& reply) {
    if (reply.status >= 200 && reply.status < 300) return reply.json();
    auto what = method + " " + path + ": " + std::to_string(reply.status) +
                " from the API server (context " + endpoint_.context + "): " + reason_of(reply);
    switch (reply.status) {
        case 404:
            throw not_found(what);
        case 401:
            throw environment_error(what + " (the kubeconfig's credentials were not accepted)");
        case 403:
            throw environment_error(what +
                                    " (the cluster's rules forbid it; see the README's "
                                    "Kubernetes permissions)");
        case 400:
        case 422:
            throw bad_input(what);
        default:
            throw Error(ErrorKind::Unavailable, what);
    }
}

nlohmann::json ApiClient::get(const std::string& path) {
    return expect_success("GET", path, call("GET", path));
}

nlohmann::json ApiClient::post(const std::string& path, const nlohmann::json& body) {
    return expect_success("POST", path, call("POST", path, body.dump()));
}

nlohmann::json ApiClient::merge_patch(const std::string& path, const nlohmann::json& body) {
    return expect_success("PATCH", path,
                          call("PATCH", path, body.dump(), "application/merge-patch+json"));
}

void ApiClient::remove(const std::string& path) {
    auto reply = call("DELETE", path);
    if (reply.status == 404) return;
    expect_success("DELETE", path, reply);
}

std::string ApiClient::server_version() {
    return get("/version").value("gitVersion", std::string());
}

}  // namespace atomixtest::kube
