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

namespace {

// sockaddr_un holds 108 bytes; state dirs nest deeper. The socket is named
// through a descriptor of its directory, whose /proc path is short.
struct ShortName {
    UniqueFd dir;
    sockaddr_un address{};
};

ShortName short_name(const std::string& path) {
    ShortName name;
    auto where = std::filesystem::path(path);
    name.dir.reset(open(where.parent_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!name.dir) {
        throw Error(ErrorKind::Unavailable, "no directory " + where.parent_path().string());
    }
    auto text = "/proc/self/fd/" + std::to_string(name.dir.get()) + "/" + where.filename().string();
    if (text.size() >= sizeof name.address.sun_path) {
        throw environment_error("socket name too long: " + path);
    }
    name.address.sun_family = AF_UNIX;
    std::memcpy(name.address.sun_path, text.c_str(), text.size() + 1);
    return name;
}

}  // namespace

UniqueFd listen_control(const std::string& path) {
    auto name = short_name(path);
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
    auto name = short_name(path);
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connect(fd.get(), reinterpret_cast<sockaddr*>(&name.address), sizeof name.address) != 0) {
        throw Error(ErrorKind::Unavailable,
                    "the disk daemon does not answer at " + path + ": " + strerror(errno));
    }
    send_all(fd.get(), request.dump() + "\n");
    std::string line;
    if (!receive_line(fd.get(), line, timeout)) {
        throw Error(ErrorKind::Timeout, "the disk daemon did not answer '" +
                                            request.value("op", std::string()) + "' in time");
    }
    auto reply = nlohmann::json::parse(line, nullptr, false);
    if (reply.is_discarded()) throw Error(ErrorKind::Internal, "the disk daemon said: " + line);
    if (!reply.value("ok", false)) {
        auto kind = reply.value("kind", std::string()) == "bad input" ? ErrorKind::BadInput
                                                                      : ErrorKind::Environment;
        throw Error(kind, reply.value("error", std::string("the disk daemon refused")));
    }
    return reply;
}

}  // namespace atomixtest::disk
