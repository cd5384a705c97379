// How the atomix client types REST failures for histories. A fake HTTP server
// (FakeRestServer) answers here: a real Atomix gives a 500 only when an
// operation times out inside it, which cannot be arranged on demand.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "atomix/rest_call.hpp"
#include "atomixtest/error.hpp"
#include "loopback_listener.hpp"

namespace atomixtest::atomix {
namespace {

// Answers every request with one canned status and body; counts requests.
class FakeRestServer {
  public:
    FakeRestServer(int status, std::string body) : status_(status), body_(std::move(body)) {
        auto listener = atomixtest::testing::listen_on_loopback(16);
        listener_ = listener.fd;
        port_ = listener.port;
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeRestServer() {
        shutdown(listener_, SHUT_RDWR);
        close(listener_);
        thread_.join();
    }
    int port() const { return port_; }
    int requests() const { return requests_; }
    std::string last_request_line() const {
        std::lock_guard lock(mutex_);
        return last_request_line_;
    }

  private:
    void serve() {
        while (true) {
            int client = accept(listener_, nullptr, nullptr);
            if (client < 0) return;
            char buffer[4096];
            auto got = read(client, buffer, sizeof buffer);
            if (got > 0) {
                ++requests_;
                std::lock_guard lock(mutex_);
                std::string request(buffer, static_cast<size_t>(got));
                last_request_line_ = request.substr(0, request.find("\r\n"));
            }
            auto reply = "HTTP/1.1 " + std::to_string(status_) +
                         " X\r\nContent-Length: " + std::to_string(body_.size()) +
                         "\r\nConnection: close\r\n\r\n" + body_;
            (void)!write(client, reply.data(), reply.size());
            close(client);
        }
    }
    int status_;
    std::string body_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<int> requests_{0};
    mutable std::mutex mutex_;
    std::string last_request_line_;
    std::thread thread_;
};

ErrorKind kind_of(int status, Effect effect, int* requests = nullptr) {
    FakeRestServer server(status, R"({"error":"PrimitiveException.Timeout"})");
    try {
        rest_call({.port = server.port(), .timeout = std::chrono::milliseconds(400)},
                  {.path = "atomic-map/m/k", .effect = effect});
    } catch (const Error& error) {
        if (requests) *requests = server.requests();
        return error.kind();
    }
    ADD_FAILURE() << "no error for HTTP " << status;
    return ErrorKind::Internal;
}

TEST(AtomixRest, A500OnAWriteIsIndeterminateOnAReadItIsAFailure) {
    EXPECT_EQ(kind_of(500, Effect::Write), ErrorKind::Timeout);
    EXPECT_EQ(kind_of(500, Effect::Read), ErrorKind::Unavailable);
}

TEST(AtomixRest, AReadIsAskedAgainUntilItsTimeoutAWriteOnce) {
    int reads = 0, writes = 0;
    kind_of(500, Effect::Read, &reads);
    kind_of(500, Effect::Write, &writes);
    EXPECT_GT(reads, 1);
    EXPECT_EQ(writes, 1) << "a write is never repeated: it may have been applied";
}

// The agent's "applied": false (a primitive it could not build yet): the
// operation never reached Atomix, so even a write is asked again until its
// timeout, and what is left at the end is a failure, not an unknown.
TEST(AtomixRest, AWriteTheAgentSaysWasNotAppliedIsAskedAgainAndFails) {
    FakeRestServer server(503, R"({"error":"building map/m took over 10 s","applied":false})");
    try {
        rest_call({.port = server.port(), .timeout = std::chrono::milliseconds(1500)},
                  {.method = "PUT", .path = "atomic-map/m/k", .effect = Effect::Write});
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Unavailable) << error.what();
    }
    EXPECT_GT(server.requests(), 1);
}

TEST(AtomixRest, BadRequestsAreBadInputWithTheServersWords) {
    FakeRestServer server(400, R"({"error":"the body must be an integer"})");
    try {
        rest_call({.port = server.port()}, {.method = "PUT", .path = "atomic-counter/c"});
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_NE(std::string(error.what()).find("must be an integer"), std::string::npos);
    }
}

TEST(AtomixRest, ARefusedConnectionIsUnavailable) {
    int port;
    {
        FakeRestServer server(200, "null");
        port = server.port();
    }
    EXPECT_THROW(
        {
            try {
                rest_call({.port = port}, {.method = "PUT", .path = "x", .effect = Effect::Write});
            } catch (const Error& error) {
                EXPECT_EQ(error.kind(), ErrorKind::Unavailable);
                throw;
            }
        },
        Error);
}

TEST(AtomixRest, NullAndJsonResultsComeBackAsJson) {
    FakeRestServer null_reply(200, "null");
    EXPECT_TRUE(rest_call({.port = null_reply.port()}, {.path = "x"}).is_null());
    FakeRestServer value_reply(200, R"({"value":"v","version":3})");
    EXPECT_EQ(rest_call({.port = value_reply.port()}, {.path = "x"})["value"], "v");
}

// A write tells the agent how long to wait for Atomix: its timeout less the
// margin for the answer; a read, asked again until its timeout, does not.
TEST(AtomixRest, AWriteAsksTheAgentToWaitItsTimeoutLessAMarginAReadDoesNot) {
    FakeRestServer server(200, "null");
    rest_call({.port = server.port(), .timeout = std::chrono::milliseconds(15000)},
              {.method = "PUT", .path = "atomic-map/m/k", .effect = Effect::Write});
    EXPECT_EQ(server.last_request_line(), "PUT /v1/atomic-map/m/k?timeout=14500 HTTP/1.1");
    rest_call({.port = server.port(), .timeout = std::chrono::milliseconds(15000)},
              {.path = "atomic-map/m/k", .effect = Effect::Read});
    EXPECT_EQ(server.last_request_line(), "GET /v1/atomic-map/m/k HTTP/1.1");
}

}  // namespace
}  // namespace atomixtest::atomix
