#include "control_channel.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "atomixtest/error.hpp"

namespace atomixtest::disk {

UniqueFd listen_control(const std::string& path) {
    auto name = unix_address(path);
    unlink(path.c_str());
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    mode_t old = umask(077);
    int bound = bind(fd.get(), reinterpret_cast<sockaddr*>(&name.address), sizeof name.address);
    umask(old);
    if (bound != 0 || chmod(path.c_str(), 0600) != 0 || listen(fd.get(), 16) != 0) {
        throw environment_error("cannot listen on " + path + ": " + strerror(errno));
    }
    return fd;
}

bool peer_is_owner(int fd) {
    ucred peer{};
    socklen_t length = sizeof peer;
    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) == 0 && peer.uid == geteuid();
}

nlohmann::json call_control(const std::string& path, const nlohmann::json& request,
                            std::chrono::milliseconds timeout) {
    return checked_reply(call_json_line(path, request, timeout, "the disk daemon"));
}

nlohmann::json checked_reply(const nlohmann::json& reply) {
    if (!reply.value("ok", false)) {
        auto kind = reply.value("kind", std::string()) == "bad input" ? ErrorKind::BadInput
                                                                      : ErrorKind::Environment;
        throw Error(kind, reply.value("error", std::string("the disk daemon refused")));
    }
    return reply;
}

}  // namespace atomixtest::disk
