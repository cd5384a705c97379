// atomixtest-clock-strobe: the clock of a node's processes flipped back and
// forth. The processes' clocks are already patched with two offsets (the
// node's own, and that plus delta) and the selector at 1; this program
// writes the selector, one byte in each process's data page, every period
// until the duration is over, then leaves it at 0. The processes are never
// stopped: a byte written through /proc/PID/mem is seen at once by the next
// clock_gettime.
//
// Each process's memory is opened once, at the start: the file stays bound
// to that process's address space, so a process that exits (and a pid that
// is reused) is written to no more.
//
// It needs no watchdog: nothing waits on it. Stopped or killed half-way, a
// node's clock stays at one of its two offsets, which `faults` shows and
// clock.reset (the undo, clear, teardown) removes with the pages.
//
// usage: atomixtest-clock-strobe SPEC_JSON   (prints "ready PID" once it holds the processes)
//   SPEC_JSON: {"node": 1, "period_ns": 10000000, "duration_ns": 5000000000,
//               "targets": [{"pid": 123, "selector": 140234567}]}
#include <cstdio>
#include <nlohmann/json.hpp>

#include "strobe_loop.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: atomixtest-clock-strobe SPEC_JSON\n");
        return 2;
    }
    try {
        return atomixtest::clock::run_strobe(nlohmann::json::parse(argv[1]));
    } catch (const std::exception& error) {
        std::fprintf(stderr, "atomixtest-clock-strobe: %s\n", error.what());
        return 2;
    }
}
