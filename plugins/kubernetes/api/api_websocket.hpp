// What the API server's WebSocket streams (port-forward, exec) share: the
// server's address split for a TCP connection, and a TLS context that
// trusts and presents what the kubeconfig says.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <string>

#include "kubeconfig.hpp"

namespace atomixtest::kube {

struct ServerAddress {
    std::string host;
    std::string port;
    std::string base_path;  // a server URL may carry a path prefix
};

// Throws BadInput when the server is not https://HOST[:PORT][/PATH].
ServerAddress parse_server(const std::string& server);

boost::asio::ssl::context tls_context(const ApiEndpoint& endpoint);

// SNI and the name (or IP) the server's certificate must carry, set on the
// TLS stream before its handshake.
void expect_server_name(boost::beast::ssl_stream<boost::beast::tcp_stream>& stream,
                        const std::string& host);

// The API server's refusal of an upgrade, in its own words when it gave
// them (the Status object's message).
std::string refusal_text(unsigned status, const std::string& body);

}  // namespace atomixtest::kube
