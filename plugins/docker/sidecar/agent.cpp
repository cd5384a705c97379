// The agent: runs the commands fault plugins send (iptables-restore, tc,
// stress-ng...) inside the sidecar, which holds the node's network namespace.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent_protocol.hpp"
#include "atomixtest/process.hpp"
#include "sidecar_main.hpp"
#include "util/fd.hpp"

namespace atomixtest::docker {

namespace {

// The agent runs what it is sent as root in the node's namespaces: only its
// own user may send (the socket is 0600 too).
bool peer_is_owner(int fd) {
    ucred peer{};
    socklen_t length = sizeof peer;
    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) == 0 && peer.uid == geteuid();
}

void serve(UniqueFd connection) {
    if (!peer_is_owner(connection.get())) {
        std::cerr << "agent: refused a request from another user\n";
        return;
    }
    std::string request;
    char buffer[65536];
    while (request.find('\n') == std::string::npos) {
        ssize_t n = recv(connection.get(), buffer, sizeof buffer, 0);
        if (n <= 0) return;
        request.append(buffer, static_cast<size_t>(n));
    }
    nlohmann::json reply;
    auto parsed = nlohmann::json::parse(request.substr(0, request.find('\n')), nullptr, false);
    if (!parsed.is_object() || !parsed.contains("argv") || parsed["argv"].empty()) {
        reply = {{"exit_code", -1}, {"out", ""}, {"err", "agent: malformed request"}};
    } else {
        auto result =
            run_process({.argv = parsed["argv"].get<std::vector<std::string>>(),
                         .input = parsed.value("input", ""),
                         .timeout = std::chrono::milliseconds(parsed.value("timeout_ms", 30000))});
        reply = {{"exit_code", result.exit_code}, {"out", result.out}, {"err", result.err}};
    }
    auto text = reply.dump() + "\n";
    send(connection.get(), text.data(), text.size(), MSG_NOSIGNAL);
}

}  // namespace

int run_agent() {
    auto path = std::filesystem::path(kAgentDirInSidecar) / kAgentSocketName;
    std::filesystem::remove(path);
    umask(077);
    UniqueFd listener(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        chmod(path.c_str(), 0600) != 0 || listen(listener.get(), 64) != 0) {
        std::cerr << "agent: cannot listen on " << path << ": " << strerror(errno) << "\n";
        return 1;
    }
    std::cout << "agent: listening on " << path << std::endl;
    while (true) {
        UniqueFd connection(accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!connection) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            std::cerr << "agent: accept: " << strerror(errno) << "\n";
            return 1;
        }
        std::thread(serve, std::move(connection)).detach();
    }
}

}  // namespace atomixtest::docker
