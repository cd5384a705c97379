#include "nft_session.hpp"

#include <nftables/libnftables.h>

#include <memory>
#include <mutex>

#include "atomixtest/error.hpp"

namespace atomixtest::net {

namespace {
// libnftables keeps global state while it parses and prints (its JSON output
// asserts under concurrent use), so commands run one at a time. Freeing a
// context is left outside the lock: closing its netlink socket after a change
// waits out the kernel's RCU grace period, and the nodes' waits then overlap.
std::mutex nft_mutex;
}  // namespace

NftOutcome run_nft(const std::string& script, bool json_output) {
    // A context opens its netlink socket when created, so it belongs to the
    // namespace of the thread that creates it: one per call, never shared.
    std::unique_ptr<nft_ctx, decltype(&nft_ctx_free)> context(nullptr, &nft_ctx_free);
    NftOutcome outcome;
    {
        std::lock_guard lock(nft_mutex);
        context.reset(nft_ctx_new(NFT_CTX_DEFAULT));
        if (!context) throw Error(ErrorKind::Environment, "libnftables: cannot create a context");
        nft_ctx_buffer_output(context.get());
        nft_ctx_buffer_error(context.get());
        if (json_output) nft_ctx_output_set_flags(context.get(), NFT_CTX_OUTPUT_JSON);
        outcome.ok = nft_run_cmd_from_buffer(context.get(), script.c_str()) == 0;
        outcome.output = nft_ctx_get_output_buffer(context.get());
        outcome.error = nft_ctx_get_error_buffer(context.get());
    }
    return outcome;
}

}  // namespace atomixtest::net
