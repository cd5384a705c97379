#include "control_socket.hpp"

namespace atomixtest::local {

nlohmann::json call_supervisor(const std::filesystem::path& socket_path,
                               const nlohmann::json& request, std::chrono::milliseconds timeout) {
    return call_json_line(socket_path.string(), request, timeout, "the cluster's supervisor");
}

}  // namespace atomixtest::local
