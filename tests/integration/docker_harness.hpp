// What the docker backend's tests look at, through the docker CLI as an
// independent witness (the framework itself never runs it): labels, networks,
// containers, and a node's network namespace as the engine reports it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include <sstream>

#include "atomixtest/netns.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {

inline ProcessResult docker(std::vector<std::string> args) {
    args.insert(args.begin(), "docker");
    return run_process({.argv = args, .timeout = std::chrono::seconds(60)});
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

// Containers and networks carrying the cluster's label, as names.
inline std::vector<std::string> labelled_containers(const std::string& cluster) {
    return lines_of(docker({"ps", "-a", "--format", "{{.Names}}", "--filter",
                            "label=io.atomix-test.cluster=" + cluster})
                        .out);
}
inline std::vector<std::string> labelled_networks(const std::string& cluster) {
    return lines_of(docker({"network", "ls", "--format", "{{.Name}}", "--filter",
                            "label=io.atomix-test.cluster=" + cluster})
                        .out);
}

inline std::string docker_inspect(const std::string& object, const std::string& format) {
    auto result = docker({"inspect", "-f", format, object});
    auto text = result.out;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

// The node's namespace: its sidecar's, which the node's container joins.
inline std::string docker_node_netns(const std::string& cluster, int node) {
    return "/proc/" +
           docker_inspect(cluster + "-" + std::to_string(node) + "-sidecar", "{{.State.Pid}}") +
           "/ns/net";
}

// Whether a TCP connection from inside netns to ip:port opens within a second.
inline bool tcp_connects_from(const std::string& netns, const std::string& ip, int port) {
    bool connected = false;
    for_each_network_namespace({netns}, [&](size_t) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_in peer{};
        peer.sin_family = AF_INET;
        peer.sin_port = htons(static_cast<uint16_t>(port));
        inet_pton(AF_INET, ip.c_str(), &peer.sin_addr);
        connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof peer);
        pollfd pfd{fd, POLLOUT, 0};
        if (poll(&pfd, 1, 1000) == 1) {
            int error = 0;
            socklen_t length = sizeof error;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
            connected = error == 0;
        }
        close(fd);
    });
    return connected;
}

}  // namespace atomixtest::testing

namespace atomixtest::testing {

// A TCP port on 127.0.0.1 relayed to the engine's unix socket, so that
// DOCKER_HOST=tcp://... can be tested against the real engine. Counts the
// connections it relayed.
class TcpToDockerSocket {
  public:
    TcpToDockerSocket() {
        listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        listen(listener_, 16);
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TcpToDockerSocket() {
        stopping_ = true;
        shutdown(listener_, SHUT_RDWR);
        thread_.join();
        close(listener_);
    }
    int port() const { return port_; }
    int connections() const { return connections_; }
    // "METHOD /path" of every request seen, in order.
    std::vector<std::string> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    void serve() {
        while (!stopping_) {
            int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) return;
            ++connections_;
            int engine = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_un where{};
            where.sun_family = AF_UNIX;
            std::strncpy(where.sun_path, "/var/run/docker.sock", sizeof where.sun_path - 1);
            connect(engine, reinterpret_cast<sockaddr*>(&where), sizeof where);
            std::thread([this, client, engine] {
                char buffer[65536];
                pollfd fds[2] = {{client, POLLIN, 0}, {engine, POLLIN, 0}};
                while (poll(fds, 2, 10000) > 0) {
                    int from = (fds[0].revents & (POLLIN | POLLHUP)) ? 0 : 1;
                    ssize_t n = read(fds[from].fd, buffer, sizeof buffer);
                    if (n <= 0) break;
                    if (from == 0) note_requests(std::string(buffer, static_cast<size_t>(n)));
                    if (write(fds[1 - from].fd, buffer, static_cast<size_t>(n)) != n) break;
                }
                close(client);
                close(engine);
            }).detach();
        }
    }
    void note_requests(const std::string& data) {
        std::lock_guard lock(mutex_);
        for (const char* method : {"GET /", "POST /", "DELETE /"}) {
            if (data.rfind(method, 0) == 0) {
                requests_.push_back(data.substr(0, data.find(' ', std::strlen(method))));
            }
        }
    }
    std::mutex mutex_;
    std::vector<std::string> requests_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::thread thread_;
};

}  // namespace atomixtest::testing
