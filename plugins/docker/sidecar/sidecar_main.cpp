// `atomixtest-sidecar agent`: the per-node sidecar (holds the node's network
// namespace, runs fault tools). `atomixtest-sidecar relay MAP...`: the
// cluster's LOCAL PORT relay on the host network.
#include "sidecar_main.hpp"

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    std::string role = argc > 1 ? argv[1] : "";
    if (role == "agent") return atomixtest::docker::run_agent();
    if (role == "relay") return atomixtest::docker::run_relay({argv + 2, argv + argc});
    std::cerr << "usage: atomixtest-sidecar agent | relay LISTEN_PORT=HOST:PORT...\n";
    return 2;
}
