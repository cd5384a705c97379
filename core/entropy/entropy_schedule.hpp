// The whole schedule of an entropy run, drawn from its seed before the run
// starts: which function, on which nodes, when and for how long. The same
// seed, functions, nodes and run time give the same schedule on any machine
// (the draws use the generator's raw output, not the standard library's
// distributions, whose results differ between implementations).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "scenario/entropy_function.hpp"
#include "util/random_draw.hpp"

namespace atomixtest {

struct PlannedFault {
    int sequence = 0;        // 1, 2, ... in start order
    size_t function = 0;     // index into the run's functions
    Duration start{};        // from the start of the entropy phase
    Duration period{};       // how long it stays (0 for restart), its lag included
    std::vector<int> nodes;  // the nodes drawn; empty: every node, or none needed
    Duration lag{};          // crash --majority --lag: the others paused this long first
};

struct EntropySchedule {
    uint64_t seed = 0;
    Duration run_time{};
    std::vector<EntropyFunction> functions;
    std::vector<PlannedFault> faults;

    nlohmann::json to_json() const;
};

// One function at a time, as in the original: after a uniform random delay a
// function drawn uniformly is applied, held for its period and undone; then the
// next delay starts. A fault that would outlast the run is cut at its end.
EntropySchedule plan_entropy(const std::vector<EntropyFunction>& functions,
                             const std::vector<int>& node_ids, Duration run_time, uint64_t seed);

}  // namespace atomixtest
