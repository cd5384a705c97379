// What a node's outgoing packets suffer, as a whole: the settings for every
// peer, and settings of their own for the peers a verb named with `to:`. A
// peer's packets get its own settings and, for the rest, the node's; a rate
// of its own is a bucket of its own, else it shares the node's. The whole is
// what the userspace daemon holds (its command line), so that `faults` and
// the next change read it back from the node, whichever driver carries it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "netem_spec.hpp"

namespace atomixtest::net {

struct PeerShaping {
    int node = 0;
    std::string ip;
    // The address the peer's own packets carry where `ip` is translated on
    // the way (a Kubernetes Service's): shaped the same.
    std::string own_ip;
    NetemSpec own;
};

struct Shaping {
    NetemSpec all;
    std::vector<PeerShaping> peers;  // by node id, each with a setting of its own
    KernelDrivers kernel;            // what tc carries; the daemon does the rest
    uint64_t seed = 0;

    bool empty() const;
    // The settings of one peer's packets.
    NetemSpec for_peer(const PeerShaping& peer) const;
    // The peer's own settings, added if it has none yet.
    NetemSpec& own(int node, const std::string& ip, const std::string& own_ip = "");
    // Peers left without a setting of their own go.
    void prune();

    // The daemon's part: true when some packet needs it.
    bool needs_daemon() const;
    // The addresses whose packets the daemon must see (empty with
    // `every_peer`: all of them).
    std::vector<std::string> daemon_addresses(bool& every_peer) const;

    nlohmann::json to_json() const;
    // Also reads a daemon's spec from before peers existed (a spec alone).
    static Shaping from_json(const nlohmann::json& json);
};

}  // namespace atomixtest::net
