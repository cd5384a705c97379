// A TCP connection to a pod's port through the API server's port-forward, in
// its WebSocket form (sub-protocol v4.channel.k8s.io): it works wherever the
// API server does, also when this machine cannot reach pod IPs, as with a
// remote cluster. libcurl as packaged has no WebSocket; Boost.Beast (part of
// Boost, already a dependency) speaks it over OpenSSL.
//
// The channel protocol: every binary message starts with its channel's byte,
// 0 the port's data and 1 its errors; the server opens each channel with the
// port number (2 bytes, little-endian). The pod side dials the port as soon
// as the stream opens, and says so on channel 1 only when that fails.
#pragma once

#include <chrono>
#include <string>

#include "kubeconfig.hpp"
#include "util/fd.hpp"

namespace atomixtest::kube {

struct PortForwardTarget {
    std::string ns;
    std::string pod;
    int port = 0;
};

// Opens the stream and waits `settle` for the pod's side to refuse. Returns
// one end of a socket pair whose other end a thread of its own relays to the
// stream until either side closes. Throws Unavailable when the pod's port
// refuses (its words quoted) or the pod cannot take a port-forward (not
// running: the API server's answer), Environment when the API server does
// not answer within connect_timeout.
UniqueFd open_port_forward(const ApiEndpoint& endpoint, const PortForwardTarget& target,
                           std::chrono::milliseconds settle = std::chrono::milliseconds(100),
                           std::chrono::milliseconds connect_timeout = std::chrono::seconds(5));

}  // namespace atomixtest::kube
