// The LOCAL PORT relay on plain loopback (no namespace needed): bytes go both
// ways, and while the target is down connections are refused, the port held.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "util/fd.hpp"
#include "util/port_forwarder.hpp"

namespace atomixtest {
namespace {

using namespace std::chrono_literals;

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    return address;
}

// 0 or the errno of the connect.
int connect_to(int port, UniqueFd& socket_out) {
    socket_out = UniqueFd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto address = loopback(port);
    if (connect(socket_out.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        return 0;
    }
    return errno;
}

// A port that was free a moment ago, for a target that is not there yet.
int free_port() {
    UniqueFd probe(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto address = loopback(0);
    if (bind(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 0;
    socklen_t length = sizeof address;
    getsockname(probe.get(), reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

// The target: echoes one message on each connection (the relay's probes
// among them) until it goes.
class EchoServer {
  public:
    explicit EchoServer(int port) : listener_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        int one = 1;
        setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        auto address = loopback(port);
        EXPECT_EQ(bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        listen(listener_.get(), 16);
        thread_ = std::thread([this] {
            while (!stopping_) {
                pollfd ready{listener_.get(), POLLIN, 0};
                if (poll(&ready, 1, 20) <= 0) continue;
                UniqueFd client(accept(listener_.get(), nullptr, nullptr));
                char buffer[64];
                auto n = recv(client.get(), buffer, sizeof buffer, 0);
                if (n > 0) send(client.get(), buffer, static_cast<size_t>(n), MSG_NOSIGNAL);
            }
        });
    }
    ~EchoServer() {
        stopping_ = true;
        thread_.join();
    }

  private:
    UniqueFd listener_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

// What comes back of a "ping" sent through the port.
std::string echoed_through(int port) {
    UniqueFd client;
    if (connect_to(port, client) != 0) return "not connected";
    send(client.get(), "ping", 4, MSG_NOSIGNAL);
    char buffer[64];
    auto n = recv(client.get(), buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "no answer";
}

TEST(PortForwarder, RefusesWhileTheTargetIsDownAndRelaysOnceItIsBack) {
    int target = free_port();
    PortForwarder forwarder(ForwardTarget{.port = target});
    forwarder.start();

    // The first connection is accepted before anyone knows the target is down:
    // it is closed without an answer. The next ones are refused.
    EXPECT_EQ(echoed_through(forwarder.port()), "no answer");
    int refused = 0;
    for (auto until = std::chrono::steady_clock::now() + 2s;
         refused == 0 && std::chrono::steady_clock::now() < until;) {
        UniqueFd client;
        if (connect_to(forwarder.port(), client) == ECONNREFUSED) ++refused;
    }
    EXPECT_EQ(refused, 1) << "a down target's LOCAL PORT refuses connections";

    // Refusing, the port is still held: nobody else can bind it, even with
    // SO_REUSEADDR (which passes over the first connection's TIME_WAIT).
    UniqueFd intruder(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    setsockopt(intruder.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto address = loopback(forwarder.port());
    EXPECT_NE(bind(intruder.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(errno, EADDRINUSE);

    EchoServer server(target);
    std::string answer;
    for (auto until = std::chrono::steady_clock::now() + 2s;
         answer != "ping" && std::chrono::steady_clock::now() < until;) {
        answer = echoed_through(forwarder.port());
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(answer, "ping") << "the port listens again once the target answers";
}

// A node removed while it is down: its relay stops probing and lets the port
// go (it used to outlive its owner, blocked on a listener nobody could close).
TEST(PortForwarder, GoingAwayWhileRefusingStopsItsThreadAndFreesThePort) {
    int port = 0;
    {
        PortForwarder forwarder(ForwardTarget{.port = free_port()});
        forwarder.start();
        port = forwarder.port();
        EXPECT_EQ(echoed_through(port), "no answer");  // now refusing
    }
    UniqueFd successor(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    // SO_REUSEADDR passes over the closed connection's TIME_WAIT, not over a
    // socket still bound or listening.
    int one = 1;
    setsockopt(successor.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto address = loopback(port);
    EXPECT_EQ(bind(successor.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0)
        << strerror(errno);
}

}  // namespace
}  // namespace atomixtest
