// LOCAL PORT: a TCP listener on the host's 127.0.0.1 whose connections are
// relayed to a node's client port. The local backend reaches the node's own
// 127.0.0.1 from inside its namespace (the namespace stays unreachable from the
// host's network; only this relay crosses over); the docker backend's relay
// reaches the node's address on the cluster network.
#pragma once

#include <optional>
#include <string>

namespace atomixtest {

struct ForwardTarget {
    std::string host = "127.0.0.1";
    int port = 0;
    std::optional<std::string> netns;  // namespace to connect from; none: this one
};

class PortForwarder {
  public:
    // Binds 127.0.0.1:listen_port now (0: any free port, known before any node
    // starts). Shared: SO_REUSEPORT, so a replacement can listen before the
    // one it replaces goes away.
    explicit PortForwarder(ForwardTarget target, int listen_port = 0, bool shared = false);
    int port() const { return port_; }
    // Starts accepting on a thread of its own (in the target's namespace, if any).
    void start();

  private:
    void accept_loop();
    ForwardTarget target_;
    int listener_ = -1;
    int port_ = 0;
};

}  // namespace atomixtest
