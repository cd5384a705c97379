#include "atomixtest/interrupt.hpp"

#include <atomic>
#include <string>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace {
std::atomic<bool> requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
}  // namespace

void request_interrupt() {
    requested.store(true);
}
void clear_interrupt() {
    requested.store(false);
}
bool interrupt_requested() {
    return requested.load();
}

void throw_if_interrupted(const char* during) {
    if (interrupt_requested()) {
        throw Error(ErrorKind::Internal, std::string("interrupted during ") + during);
    }
}

}  // namespace atomixtest
