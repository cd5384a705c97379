// What the docker backend's tests look at, through the docker CLI as an
// independent witness (the framework itself never runs it): labels, networks,
// containers, and a node's network namespace as the engine reports it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

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
