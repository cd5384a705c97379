#include "api_websocket.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "atomixtest/error.hpp"

namespace atomixtest::kube {

namespace net = boost::asio;
namespace ssl = net::ssl;

ServerAddress parse_server(const std::string& server) {
    static const std::regex form(R"(https://(\[[^\]]+\]|[^/:]+)(?::(\d+))?(/.*)?)");
    std::smatch match;
    if (!std::regex_match(server, match, form)) {
        throw bad_input("the API server's address " + server + " is not https://HOST[:PORT]");
    }
    auto host = match[1].str();
    if (host.front() == '[') host = host.substr(1, host.size() - 2);
    auto base = match[3].str();
    while (!base.empty() && base.back() == '/') base.pop_back();
    return {host, match[2].matched ? match[2].str() : "443", base};
}

ssl::context tls_context(const ApiEndpoint& endpoint) {
    ssl::context context(ssl::context::tls_client);
    if (endpoint.insecure_skip_tls_verify) {
        context.set_verify_mode(ssl::verify_none);
    } else {
        context.set_verify_mode(ssl::verify_peer);
        if (endpoint.certificate_authority) {
            context.add_certificate_authority(net::buffer(endpoint.certificate_authority->text));
        } else {
            context.set_default_verify_paths();
        }
    }
    if (endpoint.client_certificate && endpoint.client_key) {
        context.use_certificate_chain(net::buffer(endpoint.client_certificate->text));
        context.use_private_key(net::buffer(endpoint.client_key->text), ssl::context::pem);
    }
    return context;
}

void expect_server_name(boost::beast::ssl_stream<boost::beast::tcp_stream>& stream,
                        const std::string& host) {
    auto* handle = stream.native_handle();
    boost::system::error_code not_an_address;
    net::ip::make_address(host, not_an_address);
    auto* params = SSL_get0_param(handle);
    if (not_an_address) {
        SSL_set_tlsext_host_name(handle, host.c_str());
        X509_VERIFY_PARAM_set1_host(params, host.c_str(), 0);
    } else {
        X509_VERIFY_PARAM_set1_ip_asc(params, host.c_str());
    }
}

std::string refusal_text(unsigned status, const std::string& body) {
    std::string text = body;
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_object() && parsed.contains("message")) text = parsed.value("message", body);
    return "the API server answered " + std::to_string(status) +
           (text.empty() ? "" : ": " + text.substr(0, 400));
}

}  // namespace atomixtest::kube
