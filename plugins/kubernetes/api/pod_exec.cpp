#include "pod_exec.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include "api_websocket.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"

namespace atomixtest::kube {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

constexpr unsigned char kStdin = 0, kStdout = 1, kStderr = 2, kStatus = 3, kClose = 255;
constexpr const char* kV5 = "v5.channel.k8s.io";

std::string exec_path(const std::string& base, const PodExec& exec) {
    std::string path = base + "/api/v1/namespaces/" + exec.ns + "/pods/" + exec.pod +
                       "/exec?stdout=true&stderr=true";
    if (!exec.input.empty()) path += "&stdin=true";
    if (!exec.container.empty()) path += "&container=" + url_encode(exec.container);
    for (const auto& word : exec.argv) path += "&command=" + url_encode(word);
    return path;
}

// The Status on channel 3: Success is 0; a non-zero exit is a cause
// "ExitCode" whose message is the code; anything else (no such executable)
// did not run.
void read_outcome(const std::string& text, PodExecResult& result) {
    auto status = nlohmann::json::parse(text, nullptr, false);
    if (!status.is_object()) return;
    if (status.value("status", "") == "Success") {
        result.exit_code = 0;
        return;
    }
    for (const auto& cause : status.value("details", nlohmann::json::object())
                                 .value("causes", nlohmann::json::array())) {
        if (cause.value("reason", "") == "ExitCode") {
            result.exit_code = std::stoi(cause.value("message", "-1"));
            return;
        }
    }
    result.exit_code = -1;
    result.err += status.value("message", text);
}

class ExecCall : public std::enable_shared_from_this<ExecCall> {
  public:
    ExecCall(const ApiEndpoint& endpoint, PodExec exec)
        : endpoint_(endpoint),
          server_(parse_server(endpoint.server)),
          exec_(std::move(exec)),
          context_(tls_context(endpoint)),
          resolver_(io_),
          ws_(io_, context_) {}

    PodExecResult run(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        resolver_.async_resolve(server_.host, server_.port,
                                [self = shared_from_this()](beast::error_code error,
                                                            const tcp::resolver::results_type& at) {
                                    self->on_resolved(error, at);
                                });
        while (!done_ && std::chrono::steady_clock::now() < deadline) {
            if (io_.run_one_until(deadline) == 0 && io_.stopped()) break;
        }
        if (!done_) {
            fail(ErrorKind::Unavailable,
                 stage_ + " did not end within " + std::to_string(timeout.count()) + " ms");
        }
        // The handlers still queued hold this object: they run to their end.
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
        resolver_.cancel();
        io_.restart();
        io_.run_for(std::chrono::seconds(1));
        if (failure_) {
            throw Error(*failure_kind_, "exec in " + exec_.ns + "/" + exec_.pod + ": " + *failure_);
        }
        return result_;
    }

  private:
    void fail(ErrorKind kind, const std::string& why) {
        if (done_) return;
        done_ = true;
        failure_kind_ = kind;
        failure_ = why;
    }

    void on_resolved(beast::error_code error, const tcp::resolver::results_type& at) {
        if (error) return fail(ErrorKind::Environment, "cannot resolve " + server_.host);
        stage_ = "connecting to the API server";
        beast::get_lowest_layer(ws_).async_connect(
            at, [self = shared_from_this()](beast::error_code connect_error, const tcp::endpoint&) {
                if (connect_error) {
                    return self->fail(ErrorKind::Environment,
                                      "the API server " + self->endpoint_.server +
                                          " does not answer: " + connect_error.message());
                }
                self->start_tls();
            });
    }

    void start_tls() {
        expect_server_name(ws_.next_layer(), server_.host);
        ws_.next_layer().async_handshake(
            ssl::stream_base::client, [self = shared_from_this()](beast::error_code error) {
                if (error) {
                    return self->fail(ErrorKind::Environment, "TLS with the API server " +
                                                                  self->endpoint_.server +
                                                                  " failed: " + error.message());
                }
                self->start_upgrade();
            });
    }

    void start_upgrade() {
        stage_ = "the exec's upgrade";
        auto token = endpoint_.token;
        // v4 too when no stdin needs closing: a server of before v5 still answers.
        std::string offered = exec_.input.empty() ? std::string(kV5) + ", v4.channel.k8s.io" : kV5;
        ws_.set_option(
            websocket::stream_base::decorator([token, offered](websocket::request_type& request) {
                request.set(beast::http::field::sec_websocket_protocol, offered);
                if (!token.empty()) {
                    request.set(beast::http::field::authorization, "Bearer " + token);
                }
            }));
        ws_.read_message_max(size_t{64} * 1024 * 1024);
        ws_.async_handshake(
            response_, server_.host, exec_path(server_.base_path, exec_),
            [self = shared_from_this()](beast::error_code error) { self->on_upgraded(error); });
    }

    void on_upgraded(beast::error_code error) {
        if (error) {
            auto status = response_.result_int();
            return fail(
                status == 401 || status == 403 ? ErrorKind::Environment : ErrorKind::Unavailable,
                status ? refusal_text(status, response_.body()) : error.message());
        }
        stage_ = "the command " + exec_.argv.front();
        ws_.binary(true);
        if (exec_.input.empty()) return read_message();
        outgoing_ = std::string(1, static_cast<char>(kStdin)) + exec_.input;
        ws_.async_write(net::buffer(outgoing_), [self = shared_from_this()](
                                                    beast::error_code write_error, size_t) {
            if (write_error) return self->finish();
            self->outgoing_ = {static_cast<char>(kClose), static_cast<char>(kStdin)};
            self->ws_.async_write(net::buffer(self->outgoing_),
                                  [self](beast::error_code, size_t) { self->read_message(); });
        });
    }

    void read_message() {
        incoming_.clear();
        ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code error, size_t) {
            if (error) return self->finish();
            self->on_message();
        });
    }

    void on_message() {
        auto data = static_cast<const char*>(incoming_.data().data());
        size_t size = incoming_.size();
        if (size > 0) {
            std::string payload(data + 1, size - 1);
            switch (static_cast<unsigned char>(data[0])) {
                case kStdout:
                    result_.out += payload;
                    break;
                case kStderr:
                    result_.err += payload;
                    break;
                case kStatus:
                    outcome_seen_ = true;
                    read_outcome(payload, result_);
                    break;
                default:
                    break;
            }
        }
        read_message();
    }

    // The server closes the stream once the command has ended and its
    // outcome was sent.
    void finish() {
        if (!outcome_seen_) {
            result_.err += "exec: the stream closed without the command's outcome";
        }
        done_ = true;
    }

    ApiEndpoint endpoint_;
    ServerAddress server_;
    PodExec exec_;
    net::io_context io_;
    ssl::context context_;
    tcp::resolver resolver_;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
    websocket::response_type response_;
    beast::flat_buffer incoming_;
    std::string outgoing_;
    std::string stage_ = "resolving the API server";
    PodExecResult result_;
    bool done_ = false;
    bool outcome_seen_ = false;
    std::optional<ErrorKind> failure_kind_;
    std::optional<std::string> failure_;
};

}  // namespace

PodExecResult exec_in_pod(const ApiEndpoint& endpoint, const PodExec& exec,
                          std::chrono::milliseconds timeout) {
    if (exec.argv.empty()) throw bad_input("exec: no command given");
    return std::make_shared<ExecCall>(endpoint, exec)->run(timeout);
}

}  // namespace atomixtest::kube
