// The packet-filter side of userspace netem, in one node's namespace: a chain
// of its own, jumped to from OUTPUT, queues the packets the daemon must see
// (every packet leaving by a non-loopback interface, or only those to the
// peers with settings of their own), except the daemon's own duplicates
// (marked). It is iptables (the nft backend) because the kernels this must
// run on have the xtables NFQUEUE target but not nftables' native `queue`;
// iptables runs from the host inside the namespace, so the node's image
// needs none.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::net {

constexpr const char* kNetemChain = "ATOMIX-TEST-NETEM";
constexpr int kNetemQueue = 0;
constexpr int kNetemBypassMark = 0x4154;  // "AT"

// For iptables-restore --noflush: the chain, queueing the packets to every
// peer or to `addresses` (none of either: nothing), and the jump from OUTPUT
// when it is not there yet, in one transaction. Declaring the chain empties
// it, so the script also replaces what a chain in place queued.
// `--queue-bypass`: without a process bound to the queue, packets pass.
inline std::string netem_rules_script(const std::string& cluster, bool every_peer,
                                      const std::vector<std::string>& addresses, bool add_jump) {
    std::string chain = kNetemChain;
    std::string queue =
        " -j NFQUEUE --queue-num " + std::to_string(kNetemQueue) + " --queue-bypass\n";
    std::string script = "*filter\n:" + chain + " - [0:0]\n" + "-A " + chain +
                         " -o lo -j RETURN\n" + "-A " + chain + " -m mark --mark " +
                         std::to_string(kNetemBypassMark) + " -j RETURN\n";
    if (every_peer) script += "-A " + chain + queue;
    for (const auto& address : every_peer ? std::vector<std::string>{} : addresses) {
        script += "-A " + chain + " -d " + address + "/32" + queue;
    }
    if (add_jump) {
        script += "-A OUTPUT -m comment --comment \"atomix-test cluster=" + cluster + "\" -j " +
                  chain + "\n";
    }
    return script + "COMMIT\n";
}

// Removes the jump(s) and the chain; succeeds when there is nothing to remove.
inline std::vector<std::string> netem_rules_removal() {
    std::string chain = kNetemChain;
    return {"sh", "-c",
            "while iptables -w -S OUTPUT | grep -q -- '-j " + chain +
                "'; do "
                "iptables -w -S OUTPUT | grep -- '-j " +
                chain +
                "' | head -1 | sed 's/^-A/-D/' | xargs -r iptables -w || break; done; "
                "iptables -w -F " +
                chain + " 2>/dev/null; iptables -w -X " + chain + " 2>/dev/null; true"};
}

}  // namespace atomixtest::net
