#include "atomixtest/http.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace {

struct CurlHandleDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

// One handle per thread keeps its connection alive between requests, which is
// most of the cost of a request to a node on this machine.
CURL* thread_handle() {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    thread_local std::unique_ptr<CURL, CurlHandleDeleter> handle(curl_easy_init());
    return handle.get();
}

size_t append_body(char* data, size_t size, size_t count, void* into) {
    static_cast<std::string*>(into)->append(data, size * count);
    return size * count;
}

// Called on every connection the request is about to be written to. curl
// sends a request on a kept-alive connection and, if that one turns out
// closed, tries again on a new one: when the new one is refused, the first may
// still have delivered the request, so "could not connect" does not prove it
// was never sent.
int note_request_sent(void* sent, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/,
                      int /*local_port*/) {
    *static_cast<bool*>(sent) = true;
    return CURL_PREREQFUNC_OK;
}

// A stalled cluster under an open-loop workload keeps hundreds of requests
// (and their kept-alive connections) open at once. Their sockets are moved
// above FD_SETSIZE, so that the descriptors below it stay free for libraries
// that still wait with select(), whose FD_SET aborts the process on a
// descriptor of 1024 or more: libnftables' netlink socket, opened on every
// partition change, is one.
curl_socket_t open_socket_above_fd_setsize(void* /*unused*/, curlsocktype /*purpose*/,
                                           curl_sockaddr* address) {
    int fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd < 0) return CURL_SOCKET_BAD;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, kFirstDescriptorAboveSelect);
    if (high < 0) return fd;  // a limit of 1024 descriptors: no room above, none needed
    close(fd);
    return high;
}

}  // namespace

// "Location: /v2/...\r\n" -> headers["location"] = "/v2/...".
size_t keep_header(char* data, size_t size, size_t count, void* into) {
    std::string line(data, size * count);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        auto name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto value = line.substr(colon + 1);
        auto first = value.find_first_not_of(" \t");
        auto last = value.find_last_not_of(" \t\r\n");
        (*static_cast<std::map<std::string, std::string>*>(into))[name] =
            first == std::string::npos ? "" : value.substr(first, last - first + 1);
    }
    return size * count;
}

HttpResponse http_request(const HttpRequest& request) {
    CURL* curl = thread_handle();
    curl_easy_reset(curl);
    HttpResponse response;
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // curl reads 0 as "never time out": a caller whose deadline passed while
    // it slept between retries (deadline - now <= 0) must still be answered.
    auto timeout_ms = std::max<int64_t>(1, request.timeout.count());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keep_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    // A HEAD's reply says a length it has no body for: not waited for.
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_blob ca{const_cast<char*>(request.ca_pem.data()), request.ca_pem.size(), CURL_BLOB_NOCOPY};
    if (!request.ca_pem.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");  // never route a node's traffic via a proxy
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket_above_fd_setsize);
    if (!request.unix_socket.empty()) {
        curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                        curl_slist_free_all);
    auto add_header = [&headers](const std::string& line) {
        headers.reset(curl_slist_append(headers.release(), line.c_str()));
    };
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        add_header("Content-Type: " + request.content_type);
    }
    for (const auto& line : request.headers) add_header(line);
    if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    bool sent = false;
    curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, note_request_sent);
    curl_easy_setopt(curl, CURLOPT_PREREQDATA, &sent);
    CURLcode code = curl_easy_perform(curl);
    std::string where = request.method + " " + request.url;
    switch (code) {
        case CURLE_OK:
            break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
            if (sent) {
                throw Error(ErrorKind::Timeout,
                            where + ": the connection closed after the request was sent, then " +
                                curl_easy_strerror(code));
            }
            throw Error(ErrorKind::Unavailable, where + ": " + curl_easy_strerror(code));
        case CURLE_OPERATION_TIMEDOUT:
            throw Error(ErrorKind::Timeout,
                        where + ": no answer within " + std::to_string(timeout_ms) + " ms");
        default:
            // The request may have been delivered before the connection broke.
            throw Error(ErrorKind::Timeout, where + ": " + curl_easy_strerror(code));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

}  // namespace atomixtest
