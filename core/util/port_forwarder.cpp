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
#include <cstring>
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

}  // namespace

PortForwarder::PortForwarder(ForwardTarget target, int listen_port, bool shared)
    : target_(std::move(target)) {
    UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(listen_port));
    int one = 1;
    setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (shared) setsockopt(listener.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener.get(), 128) != 0) {
        throw Error(
            ErrorKind::Environment,
            "cannot listen on 127.0.0.1:" + std::to_string(listen_port) + ": " + strerror(errno));
    }
    socklen_t length = sizeof address;
    getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listener_ = listener.release();
}

void PortForwarder::start() {
    std::thread([this] { accept_loop(); }).detach();
}

void PortForwarder::accept_loop() {
    // The listener was made in the host's namespace and stays there; sockets this
    // thread makes from now on belong to the node's namespace.
    if (target_.netns) {
        UniqueFd netns(open(target_.netns->c_str(), O_RDONLY | O_CLOEXEC));
        if (!netns || setns(netns.get(), CLONE_NEWNET) != 0) {
            fprintf(stderr, "forwarder: cannot enter %s: %s\n", target_.netns->c_str(),
                    strerror(errno));
            return;
        }
    }
    sockaddr_in target{};
    target.sin_family = AF_INET;
    inet_pton(AF_INET, target_.host.c_str(), &target.sin_addr);
    target.sin_port = htons(static_cast<uint16_t>(target_.port));
    while (true) {
        UniqueFd client(accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC));
        if (!client) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            fprintf(stderr, "forwarder: accept: %s\n", strerror(errno));
            return;
        }
        UniqueFd server(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        // A node that is down refuses at once; the client then sees its
        // connection closed before any reply.
        if (connect(server.get(), reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
            continue;
        }
        set_nodelay(client.get());
        set_nodelay(server.get());
        std::thread(relay, std::move(client), std::move(server)).detach();
    }
}

}  // namespace atomixtest
