#include "control_socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest::local {

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
    send_all(fd.get(), request.dump() + "\n");
    std::string line;
    if (!receive_line(fd.get(), line, timeout)) {
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
