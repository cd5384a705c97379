#include "nft_session.hpp"

#include <fcntl.h>
#include <nftables/libnftables.h>
#include <unistd.h>

#include <memory>
#include <mutex>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"

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
        // libnftables waits on its netlink socket with select(): a socket
        // numbered 1024 or more would abort the whole process (glibc's
        // FD_SET check) with every fault left in force. Said instead.
        int lowest_free = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (lowest_free >= 0) close(lowest_free);
        if (lowest_free >= kFirstDescriptorAboveSelect - 8) {
            throw Error(ErrorKind::Environment,
                        "libnftables needs a file descriptor below 1024 and this process has " +
                            std::to_string(lowest_free) + " open below it");
        }
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
