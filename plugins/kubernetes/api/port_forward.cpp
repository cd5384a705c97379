#include "port_forward.hpp"

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "api_websocket.hpp"
#include "atomixtest/error.hpp"

namespace atomixtest::kube {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

constexpr unsigned char kDataChannel = 0;
constexpr unsigned char kErrorChannel = 1;
constexpr const char* kChannelProtocol = "v4.channel.k8s.io";

// One forwarded connection: opened on the caller's thread, then relayed on a
// thread of its own until either side closes.
class ForwardStream : public std::enable_shared_from_this<ForwardStream> {
  public:
    ForwardStream(const ApiEndpoint& endpoint, PortForwardTarget target)
        : endpoint_(endpoint),
          server_(parse_server(endpoint.server)),
          target_(std::move(target)),
          context_(tls_context(endpoint)),
          resolver_(io_),
          ws_(io_, context_),
          settle_timer_(io_),
          local_(io_) {}

    UniqueFd open(std::chrono::milliseconds settle, std::chrono::milliseconds connect_timeout) {
        settle_ = settle;
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
            throw environment_error("port-forward: no socket pair");
        }
        UniqueFd caller_end(pair[0]);
        local_.assign(pair[1]);
        start_resolve();
        auto deadline = std::chrono::steady_clock::now() + connect_timeout;
        while (outcome_ == Outcome::Pending && std::chrono::steady_clock::now() < deadline) {
            if (io_.run_one_until(deadline) == 0 && io_.stopped()) break;
        }
        if (outcome_ == Outcome::Pending) {
            failure_kind_ = ErrorKind::Environment;
            failure_ = "the API server " + endpoint_.server + " (context " + endpoint_.context +
                       ") did not open the port-forward within " +
                       std::to_string(connect_timeout.count()) + " ms";
        }
        if (outcome_ != Outcome::Open) {
            // The handlers still queued hold this object: they run to their
            // end (aborted) so that it goes.
            close_all();
            resolver_.cancel();
            io_.restart();
            io_.run_for(std::chrono::seconds(1));
            throw Error(failure_kind_, "port-forward to " + target_.ns + "/" + target_.pod + ":" +
                                           std::to_string(target_.port) + ": " + failure_);
        }
        // The relay runs on: the pending reads go on on the new thread.
        std::thread([self = shared_from_this()] { self->io_.run(); }).detach();
        return caller_end;
    }

  private:
    enum class Outcome { Pending, Open, Failed };

    void fail(ErrorKind kind, const std::string& why) {
        if (outcome_ != Outcome::Pending) return;
        outcome_ = Outcome::Failed;
        failure_kind_ = kind;
        failure_ = why;
    }

    void start_resolve() {
        resolver_.async_resolve(
            server_.host, server_.port,
            [this](beast::error_code error, const tcp::resolver::results_type& results) {
                if (error) return fail(ErrorKind::Environment, "cannot resolve " + server_.host);
                beast::get_lowest_layer(ws_).async_connect(
                    results, [this](beast::error_code connect_error, const tcp::endpoint&) {
                        if (connect_error) {
                            return fail(ErrorKind::Environment,
                                        "the API server " + endpoint_.server +
                                            " does not answer: " + connect_error.message());
                        }
                        start_tls();
                    });
            });
    }

    void start_tls() {
        expect_server_name(ws_.next_layer(), server_.host);
        ws_.next_layer().async_handshake(ssl::stream_base::client, [this](beast::error_code error) {
            if (error) {
                return fail(ErrorKind::Environment, "TLS with the API server " + endpoint_.server +
                                                        " failed: " + error.message());
            }
            start_upgrade();
        });
    }

    void start_upgrade() {
        auto token = endpoint_.token;
        ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& request) {
            request.set(beast::http::field::sec_websocket_protocol, kChannelProtocol);
            if (!token.empty()) request.set(beast::http::field::authorization, "Bearer " + token);
        }));
        // Beast's WebSocket has no read limit of its own worth keeping here:
        // the pod's data can come in large messages.
        ws_.read_message_max(size_t{64} * 1024 * 1024);
        auto path = server_.base_path + "/api/v1/namespaces/" + target_.ns + "/pods/" +
                    target_.pod + "/portforward?ports=" + std::to_string(target_.port);
        ws_.async_handshake(response_, server_.host, path, [this](beast::error_code error) {
            if (error) {
                auto status = response_.result_int();
                return fail(status == 401 || status == 403 ? ErrorKind::Environment
                                                           : ErrorKind::Unavailable,
                            status ? refusal_text(status, response_.body()) : error.message());
            }
            ws_.binary(true);
            read_message();
        });
    }

    // Channel opening frames first (the port number on each), then the pod's
    // data or its refusal.
    void read_message() {
        incoming_.clear();
        ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code error, size_t) {
            self->on_message(error);
        });
    }

    void on_message(beast::error_code error) {
        if (error) {
            fail(ErrorKind::Unavailable,
                 "the stream closed before the pod's port answered (" + error.message() + ")");
            return close_all();
        }
        auto data = static_cast<const unsigned char*>(incoming_.data().data());
        size_t size = incoming_.size();
        if (size == 0) return read_message();
        unsigned char channel = data[0];
        std::string payload(reinterpret_cast<const char*>(data) + 1, size - 1);
        if (!channel_opened_[channel & 1]) {
            // The port number, 2 bytes; anything after it is the channel's own.
            channel_opened_[channel & 1] = true;
            payload = payload.size() > 2 ? payload.substr(2) : "";
            if (channel_opened_[0] && channel_opened_[1] && outcome_ == Outcome::Pending) {
                start_settle();
            }
        }
        if (channel == kErrorChannel && !payload.empty()) {
            if (outcome_ == Outcome::Pending) {
                fail(ErrorKind::Unavailable, "refused by the pod's side: " + payload);
            } else {
                fprintf(stderr, "port-forward %s/%s:%d: %s\n", target_.ns.c_str(),
                        target_.pod.c_str(), target_.port, payload.c_str());
            }
            return close_all();
        }
        if (channel == kDataChannel && !payload.empty()) {
            pending_ += payload;
            if (outcome_ == Outcome::Open) return flush_to_local(true);
        }
        read_message();
    }

    // No refusal within the settle time: the pod's side has connected.
    void start_settle() {
        settle_timer_.expires_after(settle_);
        settle_timer_.async_wait([self = shared_from_this()](beast::error_code error) {
            if (error || self->outcome_ != Outcome::Pending) return;
            self->outcome_ = Outcome::Open;
            self->read_local();
            // A read of the stream is under way already.
            if (!self->pending_.empty()) self->flush_to_local(false);
        });
    }

    // The read loop waits while this write runs: one at a time to the caller.
    void flush_to_local(bool then_read) {
        auto data = std::make_shared<std::string>(std::move(pending_));
        pending_.clear();
        net::async_write(
            local_, net::buffer(*data),
            [self = shared_from_this(), data, then_read](beast::error_code error, size_t) {
                if (error) return self->close_all();
                if (then_read) self->read_message();
            });
    }

    void read_local() {
        outgoing_.resize(size_t{64} * 1024 + 1);
        outgoing_[0] = static_cast<char>(kDataChannel);
        local_.async_read_some(
            net::buffer(outgoing_.data() + 1, outgoing_.size() - 1),
            [self = shared_from_this()](beast::error_code error, size_t size) {
                if (error) {
                    // The caller closed its end: the stream goes with it.
                    self->ws_.async_close(websocket::close_code::normal,
                                          [self](beast::error_code) { self->close_all(); });
                    return;
                }
                self->ws_.async_write(net::buffer(self->outgoing_.data(), size + 1),
                                      [self](beast::error_code write_error, size_t) {
                                          if (write_error) return self->close_all();
                                          self->read_local();
                                      });
            });
    }

    void close_all() {
        beast::error_code ignored;
        settle_timer_.cancel();
        local_.close(ignored);
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    ApiEndpoint endpoint_;
    ServerAddress server_;
    PortForwardTarget target_;
    std::chrono::milliseconds settle_{100};
    net::io_context io_;
    ssl::context context_;
    tcp::resolver resolver_;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
    websocket::response_type response_;
    net::steady_timer settle_timer_;
    net::posix::stream_descriptor local_;
    beast::flat_buffer incoming_;
    std::string pending_;  // the pod's data not yet written to the caller
    std::vector<char> outgoing_;
    bool channel_opened_[2] = {false, false};
    Outcome outcome_ = Outcome::Pending;
    ErrorKind failure_kind_ = ErrorKind::Unavailable;
    std::string failure_;
};

}  // namespace

UniqueFd open_port_forward(const ApiEndpoint& endpoint, const PortForwardTarget& target,
                           std::chrono::milliseconds settle,
                           std::chrono::milliseconds connect_timeout) {
    auto stream = std::make_shared<ForwardStream>(endpoint, target);
    return stream->open(settle, connect_timeout);
}

}  // namespace atomixtest::kube
