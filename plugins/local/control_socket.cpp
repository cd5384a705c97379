#include "control_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest::local {

bool read_line(int fd, std::string& line, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd pfd{fd, POLLIN, 0};
        if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return !line.empty();
        line.append(buffer, static_cast<size_t>(n));
    }
    line.erase(line.find('\n'));
    return true;
}

void write_all(int fd, const std::string& data) {
    size_t written = 0;
    while (written < data.size()) {
        ssize_t n = ::send(fd, data.data() + written, data.size() - written, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        written += static_cast<size_t>(n);
    }
}

nlohmann::json call_supervisor(const std::filesystem::path& socket_path,
                               const nlohmann::json& request, std::chrono::milliseconds timeout) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::string path = socket_path.string();
    if (path.size() >= sizeof address.sun_path) {
        throw Error(ErrorKind::Environment, "state dir path too long for a unix socket: " + path);
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw Error(ErrorKind::Unavailable,
                    "the cluster's supervisor does not answer at " + path + ": " + strerror(errno));
    }
    write_all(fd.get(), request.dump() + "\n");
    std::string line;
    if (!read_line(fd.get(), line, timeout)) {
        throw Error(ErrorKind::Timeout, "the cluster's supervisor did not answer '" +
                                            request.value("op", std::string()) + "' in time");
    }
    auto reply = nlohmann::json::parse(line, nullptr, false);
    if (reply.is_discarded()) {
        throw Error(ErrorKind::Internal, "the cluster's supervisor answered garbage: " + line);
    }
    return reply;
}

}  // namespace atomixtest::local
