// LOCAL PORT: a TCP listener on the host's 127.0.0.1 whose connections are
// relayed to the node's own 127.0.0.1:client_port inside its namespace. The
// node's namespace stays unreachable from the host's network; only this relay,
// owned by the supervisor, crosses over.
#pragma once

#include <string>

namespace atomixtest::local {

class PortForwarder {
  public:
    // Binds 127.0.0.1:0 now (so the port is known before any node starts).
    PortForwarder(std::string netns_path, int target_port);
    int port() const { return port_; }
    // Starts accepting on a thread of its own that lives in the node's namespace.
    void start();

  private:
    void accept_loop();
    std::string netns_path_;
    int target_port_;
    int listener_ = -1;
    int port_ = 0;
};

}  // namespace atomixtest::local
