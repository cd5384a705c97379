// The kubernetes backend's LOCAL PORT relay: a daemon per cluster, listening
// on this machine's 127.0.0.1 and forwarding each connection to a node's pod
// through the API server's port-forward, so that it works wherever kubectl
// would, without a route to pod IPs. While a pod's port refuses (the node is
// down) its LOCAL PORT refuses too, as on the other backends.
//
//   atomixtest-kube-relay NAMESPACE LISTEN_PORT=POD:PORT...
//
// Which API server and credentials: the backend's own (ATOMIX_TEST_KUBECONFIG
// or KUBECONFIG, ATOMIX_TEST_KUBE_CONTEXT), in the environment it inherits.
//
// It reports "ready" on fd 3 once every port listens, then runs until SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <memory>
#include <vector>

#include "api/kubeconfig.hpp"
#include "api/port_forward.hpp"
#include "atomixtest/error.hpp"
#include "util/port_forwarder.hpp"

using namespace atomixtest;

namespace {

// A refusal by the pod's side (or no pod to take the stream) is the target
// being down; an API server that does not answer is not the node's doing.
int port_forward_connect(const kube::ApiEndpoint& endpoint, const kube::PortForwardTarget& target,
                         UniqueFd& server) {
    try {
        server = kube::open_port_forward(endpoint, target);
        return 0;
    } catch (const Error& error) {
        std::cerr << "relay: " << error.what() << std::endl;
        return error.kind() == ErrorKind::Unavailable ? ECONNREFUSED : ETIMEDOUT;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: atomixtest-kube-relay NAMESPACE LISTEN_PORT=POD:PORT...\n";
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    try {
        auto endpoint = kube::load_api_endpoint(kube::kubeconfig_choice_from_environment());
        std::string ns = argv[1];
        std::vector<std::unique_ptr<PortForwarder>> forwarders;
        for (int i = 2; i < argc; ++i) {
            std::string mapping = argv[i];
            auto equals = mapping.find('=');
            auto colon = mapping.rfind(':');
            if (equals == std::string::npos || colon == std::string::npos || colon < equals) {
                std::cerr << "relay: expected LISTEN_PORT=POD:PORT, got " << mapping << "\n";
                return 2;
            }
            kube::PortForwardTarget target{.ns = ns,
                                           .pod = mapping.substr(equals + 1, colon - equals - 1),
                                           .port = std::stoi(mapping.substr(colon + 1))};
            ForwardTarget forward;
            forward.connect = [endpoint, target](UniqueFd& server) {
                return port_forward_connect(endpoint, target, server);
            };
            // Each probe is a stream through the API server: not too often.
            forward.probe_interval = std::chrono::milliseconds(200);
            forwarders.push_back(
                std::make_unique<PortForwarder>(forward, std::stoi(mapping.substr(0, equals))));
            forwarders.back()->start();
            std::cout << "relay: 127.0.0.1:" << forwarders.back()->port() << " -> " << target.pod
                      << ":" << target.port << std::endl;
        }
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGINT);
        sigprocmask(SIG_BLOCK, &stop, nullptr);
        // The launcher waits for this line.
        if (write(3, "ready\n", 6) != 6) return 1;
        close(3);
        int received = 0;
        sigwait(&stop, &received);
        return 0;
    } catch (const Error& error) {
        std::cerr << "relay: " << error.what() << std::endl;
        return 1;
    }
}
