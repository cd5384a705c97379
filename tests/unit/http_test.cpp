// How a request's failure is classified: "refused" must mean the request was
// certainly never delivered, since a history records it as not done. The
// server here is a fake: only a fake can close a kept-alive connection right
// after reading a request, and then stop listening, at a chosen moment.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "loopback_listener.hpp"

namespace atomixtest {
namespace {

// Answers the first request on a connection, reads the second, then stops
// listening and closes the connection without an answer.
class FakeServerThatDiesAfterReading {
  public:
    FakeServerThatDiesAfterReading() {
        auto listener = testing::listen_on_loopback(4);
        listener_ = listener.fd;
        port_ = listener.port;
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeServerThatDiesAfterReading() {
        thread_.join();
        if (listener_ >= 0) close(listener_);
    }
    FakeServerThatDiesAfterReading(const FakeServerThatDiesAfterReading&) = delete;
    FakeServerThatDiesAfterReading& operator=(const FakeServerThatDiesAfterReading&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/put"; }
    int requests_read() const { return requests_read_; }

  private:
    // Reads one request with a body of Content-Length bytes.
    static bool read_request(int connection) {
        std::string data;
        char buffer[4096];
        while (true) {
            auto end = data.find("\r\n\r\n");
            if (end != std::string::npos) {
                auto at = data.find("Content-Length: ");
                size_t body = at == std::string::npos ? 0 : std::stoul(data.substr(at + 16));
                if (data.size() >= end + 4 + body) return true;
            }
            auto got = read(connection, buffer, sizeof buffer);
            if (got <= 0) return false;
            data.append(buffer, static_cast<size_t>(got));
        }
    }
    void serve() {
        int connection = accept(listener_, nullptr, nullptr);
        if (read_request(connection)) {
            ++requests_read_;
            std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            (void)!write(connection, answer.data(), answer.size());
        }
        if (read_request(connection)) ++requests_read_;
        close(listener_);  // a new connection is refused from now on
        listener_ = -1;
        close(connection);
    }

    int listener_ = -1;
    int port_ = 0;
    std::atomic<int> requests_read_{0};
    std::thread thread_;
};

TEST(Http, ARequestLostWithItsConnectionIsUnknownEvenIfTheRetryIsRefused) {
    FakeServerThatDiesAfterReading server;
    HttpRequest request{.method = "POST", .url = server.url(), .body = R"({"k":"v"})"};
    ASSERT_EQ(http_request(request).status, 200);  // the connection is kept alive
    try {
        http_request(request);
        FAIL() << "the server never answered the second request";
    } catch (const Error& error) {
        EXPECT_EQ(server.requests_read(), 2) << "the server read it: it may have been applied";
        EXPECT_EQ(error.kind(), ErrorKind::Timeout) << error.what();
    }
    // A new request finds the port closed before anything is sent.
    try {
        http_request(request);
        FAIL() << "nothing listens any more";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Unavailable) << error.what();
    }
}

// A retry loop that slept past its deadline asks with what is left: nothing,
// or less. That must end at once, not wait for ever on a server that never
// answers (a member cut from its peers holds a linearizable read).
TEST(Http, ARequestWithNoTimeLeftEndsAtOnce) {
    auto listener = testing::listen_on_loopback(4);  // accepts, never answers
    for (auto left : {std::chrono::milliseconds(0), std::chrono::milliseconds(-30)}) {
        HttpRequest request{.url = "http://127.0.0.1:" + std::to_string(listener.port) + "/",
                            .timeout = left};
        auto started = std::chrono::steady_clock::now();
        bool timed_out = false;
        try {
            http_request(request);
        } catch (const Error& error) {
            timed_out = error.kind() == ErrorKind::Timeout;
            EXPECT_TRUE(timed_out) << error.what();
        }
        EXPECT_TRUE(timed_out) << "nothing answers: the request must end in a timeout";
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
    }
    close(listener.fd);
}

// The descriptor of this process's socket whose local port is `port`, or -1.
int descriptor_bound_to(int port) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        int fd = std::stoi(entry.path().filename().string());
        sockaddr_in address{};
        socklen_t length = sizeof address;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
            address.sin_family == AF_INET && ntohs(address.sin_port) == port) {
            return fd;
        }
    }
    return -1;
}

// A request's socket is numbered 1024 or more: the process may hold
// hundreds of them (a stalled cluster, an open-loop workload), and the
// numbers below 1024 must stay free for select() users such as
// libnftables, whose FD_SET aborts the process past them.
TEST(Http, ARequestsSocketLeavesTheDescriptorsBelowFdSetSizeFree) {
    auto listener = testing::listen_on_loopback(4);  // accepts, never answers
    std::thread client([&] {
        try {
            http_request({.url = "http://127.0.0.1:" + std::to_string(listener.port) + "/",
                          .timeout = std::chrono::milliseconds(2000)});
        } catch (const Error&) {
            // the timeout: nothing answers
        }
    });
    int connection = accept(listener.fd, nullptr, nullptr);
    ASSERT_GE(connection, 0);
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    ASSERT_EQ(getpeername(connection, reinterpret_cast<sockaddr*>(&peer), &length), 0);
    int fd = descriptor_bound_to(ntohs(peer.sin_port));
    EXPECT_GE(fd, kFirstDescriptorAboveSelect) << "the request's socket";
    close(connection);  // the client sees the close and ends
    client.join();
    close(listener.fd);
}

}  // namespace
}  // namespace atomixtest
