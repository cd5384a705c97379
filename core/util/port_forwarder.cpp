#include "util/port_forwarder.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest {

namespace {

// Copies both ways until both sides have finished; a half-close is passed on.
void relay(UniqueFd client, UniqueFd server) {
    int fds[2] = {client.get(), server.get()};
    bool open_for_read[2] = {true, true};
    char buffer[65536];
    while (open_for_read[0] || open_for_read[1]) {
        pollfd pfds[2];
        int count = 0;
        int index_of[2];
        for (int side = 0; side < 2; ++side) {
            if (!open_for_read[side]) continue;
            index_of[count] = side;
            pfds[count++] = {fds[side], POLLIN, 0};
        }
        if (poll(pfds, count, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        for (int k = 0; k < count; ++k) {
            if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int from = index_of[k], to = 1 - from;
            ssize_t n = read(fds[from], buffer, sizeof buffer);
            if (n <= 0) {
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) return;  // a reset: drop both sides so the peer sees it too
                open_for_read[from] = false;
                shutdown(fds[to], SHUT_WR);
                continue;
            }
            ssize_t written = 0;
            while (written < n) {
                ssize_t w =
                    send(fds[to], buffer + written, static_cast<size_t>(n - written), MSG_NOSIGNAL);
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) return;
                written += w;
            }
        }
    }
}

void set_nodelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool means_target_down(int error) {
    return error == ECONNREFUSED || error == EHOSTUNREACH || error == ENETUNREACH;
}

// A dead container's address can take seconds to fail, and the accept loop
// must not hang on it: the wait is bounded. Returns 0 or the errno.
int connect_within(const sockaddr_in& target, std::chrono::milliseconds limit, UniqueFd& server) {
    server = UniqueFd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!server) return errno;
    if (connect(server.get(), reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
        if (errno != EINPROGRESS) return errno;
        pollfd writable{server.get(), POLLOUT, 0};
        if (poll(&writable, 1, static_cast<int>(limit.count())) <= 0) return ETIMEDOUT;
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(server.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) return error;
    }
    fcntl(server.get(), F_SETFL, fcntl(server.get(), F_GETFL) & ~O_NONBLOCK);
    return 0;
}

void enter_namespace(int netns) {
    if (setns(netns, CLONE_NEWNET) != 0) {
        throw Error(ErrorKind::Environment,
                    std::string("forwarder: cannot enter a network namespace: ") + strerror(errno));
    }
}

// A socket belongs to the namespace of the thread that makes it, and the
// accept loop's thread lives in the target's: it steps home for a moment.
UniqueFd socket_in(int netns) {
    UniqueFd here(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    enter_namespace(netns);
    UniqueFd made(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    enter_namespace(here.get());
    return made;
}

constexpr auto kConnectLimit = std::chrono::milliseconds(3000);
constexpr auto kProbeLimit = std::chrono::milliseconds(200);
constexpr int kBacklog = 128;

}  // namespace

PortForwarder::PortForwarder(ForwardTarget target, int listen_port)
    : target_(std::move(target)), port_(listen_port) {
    if (target_.netns) {
        home_netns_ = UniqueFd(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
        target_netns_ = UniqueFd(open(target_.netns->c_str(), O_RDONLY | O_CLOEXEC));
        if (!target_netns_) {
            throw Error(ErrorKind::Environment,
                        "cannot open " + *target_.netns + ": " + strerror(errno));
        }
    }
    listener_ = bound_listener_socket(true);
    if (listen(listener_.get(), kBacklog) != 0) {
        throw Error(ErrorKind::Environment,
                    "cannot listen on 127.0.0.1:" + std::to_string(port_) + ": " + strerror(errno));
    }
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
}

UniqueFd PortForwarder::bound_listener_socket(bool reuse_address) const {
    // Without a target namespace the thread never leaves home (and a relay in
    // a container may not call setns at all).
    UniqueFd listener = target_netns_ ? socket_in(home_netns_.get())
                                      : UniqueFd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port_));
    int one = 1;
    if (reuse_address) setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(listener.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw Error(ErrorKind::Environment,
                    "cannot bind 127.0.0.1:" + std::to_string(port_) + ": " + strerror(errno));
    }
    return listener;
}

PortForwarder::~PortForwarder() {
    stopping_ = true;
    {
        // Wakes an accept in progress; a listener being swapped in sees the flag.
        std::lock_guard lock(listener_mutex_);
        shutdown(listener_.get(), SHUT_RDWR);
    }
    if (thread_.joinable()) thread_.join();
}

void PortForwarder::start() {
    thread_ = std::thread([this] {
        try {
            accept_loop();
        } catch (const Error& error) {
            fprintf(stderr, "%s\n", error.what());
        }
    });
}

void PortForwarder::accept_loop() {
    // The listener was made in the host's namespace and stays there; sockets this
    // thread makes from now on belong to the node's namespace.
    if (target_netns_) enter_namespace(target_netns_.get());
    sockaddr_in target{};
    target.sin_family = AF_INET;
    inet_pton(AF_INET, target_.host.c_str(), &target.sin_addr);
    target.sin_port = htons(static_cast<uint16_t>(target_.port));
    while (!stopping_) {
        UniqueFd client(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!client) {
            if (stopping_) return;
            if (errno == EINTR || errno == ECONNABORTED) continue;
            fprintf(stderr, "forwarder: accept: %s\n", strerror(errno));
            return;
        }
        UniqueFd server;
        int error = target_.connect ? target_.connect(server)
                                    : connect_within(target, kConnectLimit, server);
        if (error != 0) {
            // This client was accepted before the node was known to be down;
            // it sees its connection closed. Those after it are refused.
            client.reset();
            if (means_target_down(error)) refuse_until_target_answers(target);
            continue;
        }
        set_nodelay(client.get());
        set_nodelay(server.get());
        std::thread(relay, std::move(client), std::move(server)).detach();
    }
}

void PortForwarder::refuse_until_target_answers(const sockaddr_in& target) {
    // The port is held by a second socket, bound but not listening, so that
    // nothing else takes it meanwhile; closing the listener refuses connections.
    // Without SO_REUSEADDR, which would let another SO_REUSEADDR socket bind
    // beside a socket that is not listening.
    auto holder = bound_listener_socket(false);
    {
        std::lock_guard lock(listener_mutex_);
        listener_ = std::move(holder);
    }
    while (!stopping_) {
        std::this_thread::sleep_for(target_.probe_interval);
        UniqueFd probe;
        int error =
            target_.connect ? target_.connect(probe) : connect_within(target, kProbeLimit, probe);
        if (error != 0) continue;
        std::lock_guard lock(listener_mutex_);
        if (stopping_) return;
        if (listen(listener_.get(), kBacklog) != 0) {
            throw Error(ErrorKind::Environment, "forwarder: cannot listen again on 127.0.0.1:" +
                                                    std::to_string(port_) + ": " + strerror(errno));
        }
        return;
    }
}

int free_local_port() {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw Error(ErrorKind::Environment, "no free port on 127.0.0.1");
    }
    return ntohs(address.sin_port);
}

}  // namespace atomixtest
