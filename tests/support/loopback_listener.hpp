// A listening TCP socket on 127.0.0.1 at a port the kernel picks, for the
// fake servers of error-path tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

namespace atomixtest::testing {

struct LoopbackListener {
    int fd = -1;
    int port = 0;
};

inline LoopbackListener listen_on_loopback(int backlog) {
    LoopbackListener listener{socket(AF_INET, SOCK_STREAM, 0), 0};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener.fd < 0 ||
        bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        listen(listener.fd, backlog) != 0) {
        throw std::runtime_error("a fake server cannot listen on 127.0.0.1");
    }
    listener.port = ntohs(address.sin_port);
    return listener;
}

}  // namespace atomixtest::testing
