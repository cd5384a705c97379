#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "agent_protocol.hpp"
#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest::docker {

CommandResult call_agent(const std::string& socket_path, const NodeCommand& command) {
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un where{};
    where.sun_family = AF_UNIX;
    std::strncpy(where.sun_path, socket_path.c_str(), sizeof where.sun_path - 1);
    if (connect(fd.get(), reinterpret_cast<sockaddr*>(&where), sizeof where) != 0) {
        throw environment_error("the sidecar of node " + std::to_string(command.node) +
                                " does not answer at " + socket_path + ": " + strerror(errno));
    }
    auto request =
        nlohmann::json{{"argv", command.argv}, {"input", command.input}, {"timeout_ms", 30000}}
            .dump() +
        "\n";
    if (send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        throw environment_error("cannot send a command to the sidecar at " + socket_path);
    }
    std::string reply;
    char buffer[65536];
    ssize_t n;
    while ((n = recv(fd.get(), buffer, sizeof buffer, 0)) > 0) reply.append(buffer, n);
    auto parsed = nlohmann::json::parse(reply, nullptr, false);
    if (!parsed.is_object()) {
        throw environment_error("the sidecar at " + socket_path + " gave no answer to " +
                                command.argv.at(0));
    }
    return {command.node, parsed.value("exit_code", -1), parsed.value("out", ""),
            parsed.value("err", "")};
}

}  // namespace atomixtest::docker
