// What a netem fault asks for, with netem's own meanings (tc-netem(8)): each
// probability is per packet leaving the node's interface, each correlation
// ties a draw to the previous one (0: independent, 1: always the same).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace atomixtest::net {

struct CorrelatedChance {
    double probability = 0;
    double correlation = 0;
};

struct NetemSpec {
    std::chrono::nanoseconds latency{0};
    std::chrono::nanoseconds jitter{0};
    double delay_correlation = 0;
    std::string distribution = "normal";  // normal | pareto | paretonormal | uniform
    CorrelatedChance loss, reorder, duplicate, corrupt;
    uint64_t seed = 0;

    nlohmann::json to_json() const;
    static NetemSpec from_json(const nlohmann::json& json);
};

// A verb's params, as the door completes them (durations as "200ms" text,
// every default in), into a spec.
NetemSpec netem_spec_for(const std::string& verb, const nlohmann::json& params);

}  // namespace atomixtest::net
