// The clock fault on one process: its vDSO's clock_gettime, gettimeofday and
// time replaced by a jump to code of ours (clock_code.S) on two pages mapped
// into the process, whose data say how to adjust the time. Changed while
// every thread is held (stopped_process.hpp) and at no moment a thread is
// inside the bytes that change; checked by a call of the patched
// clock_gettime made inside the process before it runs on.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "clock_page.hpp"

namespace atomixtest::clock {

// A process's clock as read from it, without stopping it.
struct ProcessClock {
    pid_t pid = 0;
    uint64_t page = 0;  // our mapping (its code page)
    ClockData data{};
    uint64_t selector_address() const { return page + CLOCK_PAGE_SIZE + CLOCK_DATA_SELECTOR; }
};
// nullopt when the process's clock is its own (or it has no vDSO, or is gone).
std::optional<ProcessClock> read_process_clock(pid_t pid);

// What the check inside the process saw: the wall clock it read, and the
// range the change asked for, both in ns since the epoch; for a clock that
// runs at a rate, also how fast it ran between two reads (rate_between).
struct ClockProof {
    int64_t observed = 0;
    int64_t real_low = 0, real_high = 0;  // this machine's clock just before and after
    int64_t expected_low = 0, expected_high = 0;
    double rate_seen = 0;  // 0: not measured (the rate is 1)
    int64_t skew() const { return observed - real_low / 2 - real_high / 2; }
    std::string describe() const;  // "reads the time -5.000s off", ", runs at 2.00x"
};

// Changes the process's clock: `update` gets its data (new ones, no skew, if
// it had none) and the real time now (ns), and changes them. Returns what
// the process then read. Throws Environment when the process cannot be
// traced or its vDSO is not this kernel's, and Unavailable when the process
// does not read what was asked (then it is left unchanged).
using ClockUpdate = std::function<void(ClockData& data, int64_t now_ns)>;
ClockProof change_process_clock(pid_t pid, const ClockUpdate& update);

// What the process's patched clock reads now (held for one call): the
// second read of a rate. Environment when its clock is its own.
ClockProof read_process_time(pid_t pid);

// How fast the process's clock ran between two reads (real time's 1).
double rate_between(const ClockProof& first, const ClockProof& later);

// Puts the vDSO back and unmaps our pages (an unused pair of pages that a
// crash left is unmapped too). Returns whether there was anything to undo.
bool reset_process_clock(pid_t pid);

// Real time now, in ns.
int64_t realtime_ns();

}  // namespace atomixtest::clock
