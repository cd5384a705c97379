// The vDSO: the small shared object the kernel maps into every process, whose
// clock_gettime, gettimeofday and time read the clock without a system call.
// Go calls it directly (it never goes through libc, so an LD_PRELOAD cannot
// reach it) and glibc calls it for C, C++ and the JVM: patching its entry
// points is what reaches every runtime. All processes of one kernel map the
// same image, so this process's own copy says where the functions are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clock_page.hpp"

namespace atomixtest::clock {

struct VdsoImage {
    std::vector<uint8_t> bytes;             // the pristine image
    uint64_t functions[kPatchedFunctions];  // offsets: clock_gettime, gettimeofday, time
    uint64_t syscall_instruction;           // offset of a `syscall` (0f 05) to inject through
};

// This kernel's vDSO, read from this process (never patched: the plugin
// never patches the process it runs in). Throws Environment where there is
// none or it lacks a function (not x86-64).
const VdsoImage& local_vdso();

// Where a process maps its vDSO (start, end); {0, 0} when it has none.
struct Range {
    uint64_t start = 0;
    uint64_t end = 0;
    bool contains(uint64_t address) const { return address >= start && address < end; }
};
Range vdso_of(int pid);

// A process's mappings, as /proc/PID/maps lists them.
struct Mapping {
    Range range;
    std::string permissions;  // "r-xp"
    uint64_t inode = 0;
    std::string name;  // a path, [vdso], [anon:NAME], or empty
};
std::vector<Mapping> mappings_of(int pid);

}  // namespace atomixtest::clock
