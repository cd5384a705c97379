// What a stress asks for (the original tool's stress(cpu, io, memory, hdd,
// timeout)), its declaration, and the stress-ng command line that does it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "atomixtest/verb.hpp"

namespace atomixtest::stress {

struct StressSpec {
    int cpu = 0;                           // workers spinning on sqrt
    int io = 0;                            // workers calling sync
    int memory = 0;                        // workers on malloc/free (stress-ng --vm)
    int hdd = 0;                           // workers writing files in the node's working directory
    std::chrono::milliseconds timeout{0};  // 0: until destress
    int64_t memory_bytes = 0;              // all memory workers together; 0: the default cap
};

// The most workers of one kind: more only measures the machine's scheduler.
constexpr int kMaxWorkers = 256;

VerbSpec start_verb();
VerbSpec stop_verb();
StressSpec stress_spec_of(const Params& params);  // params as the door completed them

// memory_bytes is the total the memory workers share (at least 4 MiB each).
std::vector<std::string> stress_ng_argv(const StressSpec& spec, int64_t memory_bytes);

}  // namespace atomixtest::stress
