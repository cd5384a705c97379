#include "process_clock.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "atomixtest/error.hpp"
#include "stopped_process.hpp"
#include "vdso.hpp"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

extern "C" {
extern const uint8_t atomixtest_clock_code_start[];
extern const uint8_t atomixtest_clock_code_end[];
extern const uint8_t atomixtest_clock_gettime[];
extern const uint8_t atomixtest_clock_gettimeofday[];
extern const uint8_t atomixtest_clock_time[];
extern const uint8_t atomixtest_clock_trap[];
}

namespace atomixtest::clock {

namespace {

constexpr auto kPatience = std::chrono::milliseconds(2000);
constexpr uint64_t kDataPage = kPageSize;  // from our mapping's start

// Offsets of the replacements in the code page, in the order of VdsoImage::functions.
uint64_t replacement(int function) {
    const uint8_t* entries[kPatchedFunctions] = {
        atomixtest_clock_gettime, atomixtest_clock_gettimeofday, atomixtest_clock_time};
    return static_cast<uint64_t>(entries[function] - atomixtest_clock_code_start);
}

// movabs rax, target; jmp rax. rax is free at a function's entry (it
// carries no argument), and the absolute jump reaches pages mapped anywhere.
std::array<uint8_t, kJumpSize> jump_to(uint64_t target) {
    std::array<uint8_t, kJumpSize> jump{0x48, 0xb8};
    std::memcpy(&jump[2], &target, sizeof target);
    jump[10] = 0xff;
    jump[11] = 0xe0;
    return jump;
}

// Our page, if every patched entry of the vDSO image jumps into it.
uint64_t page_of(const std::vector<uint8_t>& image) {
    const auto& vdso = local_vdso();
    uint64_t page = 0;
    for (int i = 0; i < kPatchedFunctions; ++i) {
        const uint8_t* entry = image.data() + vdso.functions[i];
        if (entry[0] != 0x48 || entry[1] != 0xb8 || entry[10] != 0xff || entry[11] != 0xe0)
            return 0;
        uint64_t target = 0;
        std::memcpy(&target, entry + 2, sizeof target);
        uint64_t this_page = target - replacement(i);
        if (i > 0 && this_page != page) return 0;
        page = this_page;
    }
    return page;
}

// The process's vDSO, checked to be this kernel's image (byte for byte, but
// for the entries we patch): a 32-bit process's, say, is not.
std::vector<uint8_t> checked_vdso(const ProcessMemory& memory, pid_t pid, const Range& range) {
    const auto& vdso = local_vdso();
    if (range.start == 0)
        throw environment_error("process " + std::to_string(pid) + " has no vDSO");
    auto image = memory.read(range.start, range.end - range.start);
    auto pristine = vdso.bytes;
    if (image.size() != pristine.size()) {
        throw environment_error("process " + std::to_string(pid) +
                                "'s vDSO is not this kernel's x86-64 one");
    }
    for (int i = 0; i < kPatchedFunctions; ++i) {
        std::copy_n(image.begin() + vdso.functions[i], kJumpSize,
                    pristine.begin() + vdso.functions[i]);
    }
    if (image != pristine) {
        throw environment_error("process " + std::to_string(pid) +
                                "'s vDSO is not this kernel's x86-64 one");
    }
    return image;
}

// Our pairs of pages in the process, whether the vDSO jumps there or not (a
// crash between mapping and patching leaves one unused): anonymous, code
// then data or both still writable, with our mark in the data. A pair is
// recognised by its content because the mapping's name (PR_SET_VMA) needs a
// kernel built with CONFIG_ANON_VMA_NAME.
std::vector<Range> clock_mappings_of(pid_t pid, const ProcessMemory& memory) {
    auto maps = mappings_of(pid);
    auto anonymous = [](const Mapping& mapping) {
        return mapping.inode == 0 &&
               (mapping.name.empty() || mapping.name == std::string("[anon:") + kMappingName + "]");
    };
    std::vector<Range> found;
    for (size_t i = 0; i < maps.size(); ++i) {
        const auto& first = maps[i];
        if (!anonymous(first)) continue;
        auto size = first.range.end - first.range.start;
        bool whole = size == kMappingSize && first.permissions == "rw-p";
        bool split = size == kPageSize && first.permissions == "r-xp" && i + 1 < maps.size() &&
                     anonymous(maps[i + 1]) && maps[i + 1].range.start == first.range.end &&
                     maps[i + 1].range.end - maps[i + 1].range.start == kPageSize &&
                     maps[i + 1].permissions == "rw-p";
        if (!whole && !split) continue;
        try {
            if (memory.read_as<uint64_t>(first.range.start + kDataPage) == kClockMagic) {
                found.push_back({first.range.start, first.range.start + kMappingSize});
            }
        } catch (const Error&) {
            // unreadable: not ours
        }
    }
    return found;
}

int64_t clock_ns(clockid_t id) {
    timespec now{};
    clock_gettime(id, &now);
    return now.tv_sec * 1000000000LL + now.tv_nsec;
}

bool failed(int64_t result) {
    return result < 0 && result > -4096;
}

// Holds the process with no thread inside the vDSO or our pages: one
// stopped in the middle of clock_gettime is stepped out of it first.
template <typename Work>
auto with_quiet_process(pid_t pid, const std::vector<Range>& busy, Work work) {
    StoppedProcess stopped(pid, kPatience);
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const auto& range : busy) ranges.emplace_back(range.start, range.end);
    stopped.step_out_of(ranges);
    return work(stopped);
}

uint64_t map_pages(StoppedProcess& stopped, const ProcessMemory& memory, uint64_t syscall_at,
                   const ClockData& data) {
    auto page = static_cast<uint64_t>(
        stopped.syscall(syscall_at, SYS_mmap,
                        {0, kMappingSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                         static_cast<uint64_t>(-1), 0}));
    if (failed(static_cast<int64_t>(page))) {
        throw environment_error("mmap in process " + std::to_string(stopped.pid()) + ": " +
                                strerror(static_cast<int>(-static_cast<int64_t>(page))));
    }
    memory.write(page, atomixtest_clock_code_start,
                 static_cast<size_t>(atomixtest_clock_code_end - atomixtest_clock_code_start));
    memory.write(page + kDataPage, &data, sizeof data);
    stopped.syscall(syscall_at, SYS_mprotect, {page, kPageSize, PROT_READ | PROT_EXEC, 0, 0, 0});
    // Named where the kernel can (5.17+), so that an unused pair a crash left
    // is found too; the jumps in the vDSO are what find a patch in any case.
    stopped.syscall(syscall_at, SYS_prctl,
                    {PR_SET_VMA, PR_SET_VMA_ANON_NAME, page, kMappingSize,
                     page + kDataPage + offsetof(ClockData, name), 0});
    return page;
}

// The range a read of the wall clock may fall in, between two readings of
// this machine's: while a strobe runs its daemon may flip the selector at
// any moment, so either offset is then what was asked.
void expect(ClockProof& proof, const ClockData& data) {
    auto expected = data;
    bool strobing = data.strobe_until_ns > proof.real_low;
    expected.selector = strobing ? 0 : data.selector;
    proof.expected_low = adjusted_ns(expected, proof.real_low);
    proof.expected_high = adjusted_ns(expected, proof.real_high);
    if (strobing) {
        expected.selector = 1;
        proof.expected_low = std::min(proof.expected_low, adjusted_ns(expected, proof.real_low));
        proof.expected_high = std::max(proof.expected_high, adjusted_ns(expected, proof.real_high));
    }
}

// A call of the process's own clock_gettime (the vDSO's entry, patched),
// made by one of its threads: what it returns for the clock.
int64_t read_in_process(StoppedProcess& stopped, const ProcessMemory& memory, const Range& vdso,
                        uint64_t page, clockid_t id) {
    uint64_t entry = vdso.start + local_vdso().functions[0];
    uint64_t scratch = page + kDataPage + kScratchOffset;
    uint64_t stack = page + kDataPage + kStackTop;
    uint64_t trap =
        page + static_cast<uint64_t>(atomixtest_clock_trap - atomixtest_clock_code_start);
    if (stopped.call(entry, static_cast<uint64_t>(id), scratch, stack, trap) != 0) {
        throw Error(ErrorKind::Unavailable,
                    "clock_gettime failed in process " + std::to_string(stopped.pid()));
    }
    auto ts = memory.read_as<timespec>(scratch);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// The process's wall clock, which must read what was asked.
ClockProof read_wall(StoppedProcess& stopped, const ProcessMemory& memory, const Range& vdso,
                     uint64_t page, const ClockData& data) {
    ClockProof proof;
    proof.real_low = clock_ns(CLOCK_REALTIME);
    proof.observed = read_in_process(stopped, memory, vdso, page, CLOCK_REALTIME);
    proof.real_high = clock_ns(CLOCK_REALTIME);
    expect(proof, data);
    if (proof.observed < proof.expected_low || proof.observed > proof.expected_high) {
        throw Error(ErrorKind::Unavailable, "process " + std::to_string(stopped.pid()) + " " +
                                                proof.describe() + ", not what was asked");
    }
    return proof;
}

// The wall clock must read what was asked, and MONOTONIC must not move.
ClockProof check(StoppedProcess& stopped, const ProcessMemory& memory, const Range& vdso,
                 uint64_t page, const ClockData& data) {
    auto proof = read_wall(stopped, memory, vdso, page, data);
    int64_t monotonic_before = clock_ns(CLOCK_MONOTONIC);
    int64_t monotonic = read_in_process(stopped, memory, vdso, page, CLOCK_MONOTONIC);
    int64_t monotonic_after = clock_ns(CLOCK_MONOTONIC);
    if (monotonic < monotonic_before || monotonic > monotonic_after) {
        throw Error(ErrorKind::Unavailable, "process " + std::to_string(stopped.pid()) +
                                                "'s MONOTONIC clock moved: it must not");
    }
    return proof;
}

}  // namespace

std::string ClockProof::describe() const {
    char text[64];
    // To the millisecond, and +0.000 rather than -0.000.
    double seconds = std::round(static_cast<double>(skew()) / 1e6) / 1e3 + 0.0;
    std::snprintf(text, sizeof text, "reads the time %+.3fs off", seconds);
    std::string said = text;
    if (rate_seen > 0) {
        std::snprintf(text, sizeof text, ", runs at %.2fx", rate_seen);
        said += text;
    }
    return said;
}

int64_t realtime_ns() {
    return clock_ns(CLOCK_REALTIME);
}

std::optional<ProcessClock> read_process_clock(pid_t pid) {
    try {
        auto vdso = vdso_of(pid);
        if (vdso.start == 0) return std::nullopt;
        ProcessMemory memory(pid);
        auto page = page_of(checked_vdso(memory, pid, vdso));
        if (page == 0) return std::nullopt;
        ProcessClock clock{pid, page, memory.read_as<ClockData>(page + kDataPage)};
        if (clock.data.magic != kClockMagic) return std::nullopt;
        return clock;
    } catch (const Error&) {
        return std::nullopt;  // gone, or not a process we could patch
    }
}

ClockProof change_process_clock(pid_t pid, const ClockUpdate& update) {
    const auto& vdso_image = local_vdso();
    auto vdso = vdso_of(pid);
    ProcessMemory memory(pid);
    auto page = page_of(checked_vdso(memory, pid, vdso));
    std::vector<Range> busy = {vdso};
    if (page) busy.push_back({page, page + kMappingSize});
    return with_quiet_process(pid, busy, [&](StoppedProcess& stopped) {
        uint64_t syscall_at = vdso.start + vdso_image.syscall_instruction;
        bool fresh = page == 0;
        ClockData data =
            fresh ? identity_data(realtime_ns()) : memory.read_as<ClockData>(page + kDataPage);
        if (data.magic != kClockMagic) {
            throw environment_error("process " + std::to_string(pid) +
                                    "'s vDSO jumps to pages that are not the clock fault's");
        }
        if (fresh) {
            for (int i = 0; i < kPatchedFunctions; ++i) {
                data.saved[i].offset = vdso_image.functions[i];
                std::copy_n(vdso_image.bytes.begin() + vdso_image.functions[i], kJumpSize,
                            data.saved[i].bytes);
            }
        }
        update(data, realtime_ns());
        if (fresh) {
            data.selector = data.selector & 1;
            page = map_pages(stopped, memory, syscall_at, data);
            // The jumps go in last: until then the process runs as it was,
            // and a crash leaves only an unused pair of pages.
            for (int i = 0; i < kPatchedFunctions; ++i) {
                auto jump = jump_to(page + replacement(i));
                memory.write(vdso.start + vdso_image.functions[i], jump.data(), jump.size());
            }
        } else {
            // Whole: a strobe flipping the selector meanwhile flips it again
            // within its period.
            memory.write(page + kDataPage, &data, sizeof data);
        }
        try {
            return check(stopped, memory, vdso, page, data);
        } catch (...) {
            stopped.release();
            reset_process_clock(pid);
            throw;
        }
    });
}

ClockProof read_process_time(pid_t pid) {
    auto vdso = vdso_of(pid);
    ProcessMemory memory(pid);
    auto page = page_of(checked_vdso(memory, pid, vdso));
    if (page == 0) {
        throw environment_error("process " + std::to_string(pid) + "'s clock is its own");
    }
    return with_quiet_process(pid, {vdso, {page, page + kMappingSize}},
                              [&](StoppedProcess& stopped) {
                                  auto data = memory.read_as<ClockData>(page + kDataPage);
                                  return read_wall(stopped, memory, vdso, page, data);
                              });
}

double rate_between(const ClockProof& first, const ClockProof& later) {
    // From just before each call: the time from there to the system call
    // inside is alike for both, where the time to see the call end is not.
    return static_cast<double>(later.observed - first.observed) /
           static_cast<double>(later.real_low - first.real_low);
}

bool reset_process_clock(pid_t pid) {
    const auto& vdso_image = local_vdso();
    auto vdso = vdso_of(pid);
    if (vdso.start == 0) return false;
    ProcessMemory memory(pid);
    auto image = checked_vdso(memory, pid, vdso);
    auto page = page_of(image);
    // Any entry that is not the kernel's, even one jump alone (a command
    // killed while it wrote them), goes back with the others.
    bool patched = image != vdso_image.bytes;
    auto pages = clock_mappings_of(pid, memory);
    if (page && std::none_of(pages.begin(), pages.end(),
                             [&](const Range& range) { return range.start == page; })) {
        pages.push_back({page, page + kMappingSize});
    }
    if (pages.empty() && !patched) return false;
    std::vector<Range> busy = pages;
    busy.push_back(vdso);
    with_quiet_process(pid, busy, [&](StoppedProcess& stopped) {
        // The entries first: from then on no thread goes into our pages.
        for (int i = 0; patched && i < kPatchedFunctions; ++i) {
            auto offset = vdso_image.functions[i];
            memory.write(vdso.start + offset, vdso_image.bytes.data() + offset, kJumpSize);
        }
        uint64_t syscall_at = vdso.start + vdso_image.syscall_instruction;
        for (const auto& range : pages) {
            stopped.syscall(syscall_at, SYS_munmap,
                            {range.start, range.end - range.start, 0, 0, 0, 0});
        }
        return 0;
    });
    if (memory.read(vdso.start, vdso.end - vdso.start) != vdso_image.bytes ||
        !clock_mappings_of(pid, memory).empty()) {
        throw Error(ErrorKind::Unavailable,
                    "process " + std::to_string(pid) + "'s clock could not be put back");
    }
    return true;
}

}  // namespace atomixtest::clock
