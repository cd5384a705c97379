#include "util/socket_lines.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "atomixtest/error.hpp"

namespace atomixtest {

bool receive_line(int fd, std::string& line, std::chrono::milliseconds timeout) {
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

void send_all(int fd, const std::string& data) {
    size_t written = 0;
    while (written < data.size()) {
        ssize_t n = ::send(fd, data.data() + written, data.size() - written, MSG_NOSIGNAL);
        // A pipe (the supervisor's ready pipe) is no socket.
        if (n < 0 && errno == ENOTSOCK)
            n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        written += static_cast<size_t>(n);
    }
}

UnixAddress unix_address(const std::string& path) {
    UnixAddress name;
    auto where = std::filesystem::path(path);
    name.dir.reset(open(where.parent_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!name.dir) {
        throw Error(ErrorKind::Unavailable, "no directory " + where.parent_path().string());
    }
    auto text = "/proc/self/fd/" + std::to_string(name.dir.get()) + "/" + where.filename().string();
    if (text.size() >= sizeof name.address.sun_path) {
        throw Error(ErrorKind::Environment, "socket name too long: " + path);
    }
    name.address.sun_family = AF_UNIX;
    std::memcpy(name.address.sun_path, text.c_str(), text.size() + 1);
    return name;
}

nlohmann::json call_json_line(const std::string& path, const nlohmann::json& request,
                              std::chrono::milliseconds timeout, const std::string& who) {
    auto name = unix_address(path);
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connect(fd.get(), reinterpret_cast<sockaddr*>(&name.address), sizeof name.address) != 0) {
        throw Error(ErrorKind::Unavailable,
                    who + " does not answer at " + path + ": " + strerror(errno));
    }
    send_all(fd.get(), request.dump() + "\n");
    std::string line;
    if (!receive_line(fd.get(), line, timeout)) {
        throw Error(ErrorKind::Timeout,
                    who + " did not answer '" + request.value("op", std::string()) + "' in time");
    }
    auto reply = nlohmann::json::parse(line, nullptr, false);
    if (reply.is_discarded()) throw Error(ErrorKind::Internal, who + " answered garbage: " + line);
    return reply;
}

}  // namespace atomixtest
