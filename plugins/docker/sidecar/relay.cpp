// The relay: LOCAL PORTs on the host's 127.0.0.1, each forwarded to a node's
// client port on the cluster network (an internal network publishes no ports,
// so Docker's own port mapping cannot be used).
#include <signal.h>

#include <iostream>
#include <memory>
#include <vector>

#include "sidecar_main.hpp"
#include "util/port_forwarder.hpp"

namespace atomixtest::docker {

// Each mapping is LISTEN_PORT=HOST:PORT.
int run_relay(const std::vector<std::string>& mappings) {
    std::vector<std::unique_ptr<PortForwarder>> forwarders;
    for (const auto& mapping : mappings) {
        auto equals = mapping.find('=');
        auto colon = mapping.rfind(':');
        if (equals == std::string::npos || colon == std::string::npos || colon < equals) {
            std::cerr << "relay: expected LISTEN_PORT=HOST:PORT, got " << mapping << "\n";
            return 2;
        }
        ForwardTarget target{.host = mapping.substr(equals + 1, colon - equals - 1),
                             .port = std::stoi(mapping.substr(colon + 1))};
        forwarders.push_back(
            std::make_unique<PortForwarder>(target, std::stoi(mapping.substr(0, equals))));
        forwarders.back()->start();
        std::cout << "relay: 127.0.0.1:" << forwarders.back()->port() << " -> " << target.host
                  << ":" << target.port << std::endl;
    }
    // The backend waits for this line before it removes the relay this one replaces.
    std::cout << "relay: ready" << std::endl;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, nullptr);
    int received = 0;
    sigwait(&stop, &received);
    return 0;
}

}  // namespace atomixtest::docker
