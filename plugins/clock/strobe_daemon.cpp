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
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

namespace {

volatile sig_atomic_t stopping = 0;
void on_stop(int) {
    stopping = 1;
}

struct Target {
    int memory;
    uint64_t selector;
};

// Writes the phase to every process still there; false when none is.
bool write_phase(std::vector<Target>& targets, uint8_t phase) {
    for (auto& target : targets) {
        if (target.memory < 0) continue;
        if (pwrite(target.memory, &phase, 1, static_cast<off_t>(target.selector)) != 1) {
            close(target.memory);
            target.memory = -1;
        }
    }
    for (const auto& target : targets) {
        if (target.memory >= 0) return true;
    }
    return false;
}

timespec plus(timespec at, int64_t ns) {
    at.tv_nsec += ns % 1000000000;
    at.tv_sec += ns / 1000000000 + at.tv_nsec / 1000000000;
    at.tv_nsec %= 1000000000;
    return at;
}

int64_t since(const timespec& start) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec);
}

int run(const nlohmann::json& spec) {
    std::vector<Target> targets;
    for (const auto& target : spec.at("targets")) {
        auto path = "/proc/" + std::to_string(target.at("pid").get<int>()) + "/mem";
        targets.push_back({open(path.c_str(), O_RDWR | O_CLOEXEC), target.at("selector")});
    }
    auto period = spec.at("period_ns").get<int64_t>();
    auto duration = spec.at("duration_ns").get<int64_t>();
    std::printf("ready %d\n", static_cast<int>(getpid()));
    std::fflush(stdout);
    timespec start{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    timespec next = start;
    uint8_t phase = 1;  // as the plugin left it
    while (!stopping) {
        next = plus(next, period);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) != 0 && !stopping) {
        }
        if (stopping || since(start) >= duration) break;
        phase ^= 1;
        if (!write_phase(targets, phase)) return 0;
    }
    write_phase(targets, 0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: atomixtest-clock-strobe SPEC_JSON\n");
        return 2;
    }
    struct sigaction action {};
    action.sa_handler = on_stop;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    try {
        return run(nlohmann::json::parse(argv[1]));
    } catch (const std::exception& error) {
        std::fprintf(stderr, "atomixtest-clock-strobe: %s\n", error.what());
        return 2;
    }
}
