// LOCAL PORT: a TCP listener on the host's 127.0.0.1 whose connections are
// relayed to a node's client port. The local backend reaches the node's own
// 127.0.0.1 from inside its namespace (the namespace stays unreachable from the
// host's network; only this relay crosses over); the docker backend's relay
// reaches the node's address on the cluster network.
//
// While the node is down the LOCAL PORT refuses connections, as the node's own
// port would: a relay that accepted and then closed would hand the client an
// answerless connection, which it cannot tell from a request lost in flight
// (a checker must then treat the operation as possibly done).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "util/fd.hpp"

struct sockaddr_in;

namespace atomixtest {

struct ForwardTarget {
    std::string host = "127.0.0.1";
    int port = 0;
    std::optional<std::string> netns;  // namespace to connect from; none: this one
    // Instead of a TCP connection to host:port, a connection made otherwise
    // (the kubernetes backend's port-forward through the API server): 0 with
    // the socket set, or the errno saying why not, ECONNREFUSED when the
    // target is down (the LOCAL PORT then refuses until it answers again).
    std::function<int(UniqueFd& server)> connect;
    // How often a target that is down is asked again.
    std::chrono::milliseconds probe_interval{20};
};

class PortForwarder {
  public:
    // Binds 127.0.0.1:listen_port now (0: any free port, known before any node
    // starts). SO_REUSEPORT: a replacement relay can listen before the one it
    // replaces goes away, and the port stays reserved while it refuses.
    explicit PortForwarder(ForwardTarget target, int listen_port = 0);
    // Stops accepting and waits for the accepting thread; connections already
    // relayed go on until either side closes.
    ~PortForwarder();
    PortForwarder(const PortForwarder&) = delete;
    PortForwarder& operator=(const PortForwarder&) = delete;
    int port() const { return port_; }
    // Starts accepting on a thread of its own (in the target's namespace, if any).
    void start();

  private:
    void accept_loop();
    // Stops listening (connections are refused) until the target answers again.
    void refuse_until_target_answers(const sockaddr_in& target);
    // 127.0.0.1:port_ with SO_REUSEPORT, made in the home namespace.
    UniqueFd bound_listener_socket(bool reuse_address) const;

    ForwardTarget target_;
    UniqueFd listener_;  // swapped by the accepting thread, shut down by the destructor
    std::mutex listener_mutex_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    // With a target namespace: the one connections to the target are made
    // from, and the one the listener belongs to (the constructor's).
    UniqueFd home_netns_;
    UniqueFd target_netns_;
    int port_ = 0;
};

// A port on 127.0.0.1 free at this moment, for a LOCAL PORT chosen before
// its relay listens.
int free_local_port();

}  // namespace atomixtest
