// The data page of the clock fault, as the replacement code (clock_code.S)
// reads it and as the plugin keeps its own record there: what was asked
// (for `faults`) and the vDSO bytes it replaced (for the undo). Keeping the
// record inside the process itself means a later command, `clear` or a
// crashed run's successor finds everything it needs there, and a node that
// restarted has nothing left to undo.
#pragma once

#include <cstddef>
#include <cstdint>

#include "clock_layout.h"

namespace atomixtest::clock {

// The layout's sizes as the C++ side computes with them (64-bit).
constexpr uint64_t kPageSize = CLOCK_PAGE_SIZE;
constexpr uint64_t kMappingSize = 2 * kPageSize;

constexpr uint64_t kClockMagic = 0x6b636f6c63787461;  // "atxclock"
constexpr int64_t kRateOne = int64_t{1} << 32;
constexpr int kPatchedFunctions = 3;  // clock_gettime, gettimeofday, time
constexpr size_t kJumpSize = 12;      // movabs rax, imm64; jmp rax
constexpr const char* kMappingName = "atomixtest-clock";

struct SavedEntry {
    uint64_t offset;  // of the function in the vDSO
    uint8_t bytes[16];
};

struct ClockData {
    uint64_t magic;
    // Read by the replacement code.
    int64_t base_ns;
    int64_t rate_fp;
    int64_t offsets[2];
    uint8_t selector;
    uint8_t padding[7];
    // The plugin's record.
    int64_t bump_ns;  // the sum of the bumps asked
    double rate;      // as asked (1 without a rate)
    int64_t strobe_delta_ns;
    int64_t strobe_period_ns;
    int64_t strobe_until_ns;  // real time at which the strobe ends (0: none)
    SavedEntry saved[kPatchedFunctions];
    char name[32];  // the mapping's name, for prctl(PR_SET_VMA_ANON_NAME)
};

static_assert(offsetof(ClockData, base_ns) == CLOCK_DATA_BASE);
static_assert(offsetof(ClockData, rate_fp) == CLOCK_DATA_RATE);
static_assert(offsetof(ClockData, offsets) == CLOCK_DATA_OFFSETS);
static_assert(offsetof(ClockData, selector) == CLOCK_DATA_SELECTOR);
static_assert(sizeof(ClockData) < CLOCK_PAGE_SIZE / 2);

// Scratch space in the data page for a call injected to check the clock: the
// timespec it fills, and a stack (growing down from the page's end).
constexpr size_t kScratchOffset = CLOCK_PAGE_SIZE / 2;
constexpr size_t kStackTop = CLOCK_PAGE_SIZE - 16;

// What the replacement code computes, the same way (for the check).
int64_t adjusted_ns(const ClockData& data, int64_t real_ns);

// The data of a new fault: no skew yet, rate 1, counting from real_ns.
ClockData identity_data(int64_t real_ns);

}  // namespace atomixtest::clock
