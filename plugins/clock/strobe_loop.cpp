// The strobe's loop (strobe_loop.hpp).
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "strobe_loop.hpp"

namespace atomixtest::clock {

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

}  // namespace

int run_strobe(const nlohmann::json& spec) {
    struct sigaction action {};
    action.sa_handler = on_stop;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
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

}  // namespace atomixtest::clock
