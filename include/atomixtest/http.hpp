// A small blocking HTTP client on libcurl, reusing one connection per thread.
// Failures are typed for histories: a refused connection is Unavailable (the
// request never reached the system), a timeout or a dropped reply is Timeout
// (the request may or may not have taken effect).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace atomixtest {

// Requests' sockets are opened at this descriptor or above (FD_SETSIZE), so
// that select() users in the process keep the ones below it (see http.cpp).
constexpr int kFirstDescriptorAboveSelect = 1024;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::string body;
    std::string content_type = "application/json";
    std::chrono::milliseconds timeout{5000};
    std::string unix_socket;           // connect here instead of the URL's host (Docker's socket)
    std::vector<std::string> headers;  // more, as "Name: value" (a registry's Accept)
    // For https: the CAs to trust (PEM) instead of the system's, such as a
    // registry's own CA.
    std::string ca_pem;
};

struct HttpResponse {
    long status = 0;
    std::string body;                            // none for a HEAD
    std::map<std::string, std::string> headers;  // by lower-case name (a Location)
};

HttpResponse http_request(const HttpRequest& request);

// Percent-encodes everything but unreserved characters (a path segment or a
// query value).
std::string url_encode(const std::string& text);

}  // namespace atomixtest
