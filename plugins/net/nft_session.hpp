// nftables through libnftables, in-process: a ruleset change in a node's
// namespace costs a netlink round trip instead of starting `nft` (which would
// also have to exist inside the node's image).
#pragma once

#include <string>

namespace atomixtest::net {

struct NftOutcome {
    bool ok = false;
    std::string output;  // JSON when asked for
    std::string error;   // nft's own message when !ok
};

// Runs an nft script in the calling thread's network namespace.
NftOutcome run_nft(const std::string& script, bool json_output = false);

}  // namespace atomixtest::net
