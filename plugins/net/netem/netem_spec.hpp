// What a netem fault asks for, with netem's own meanings (tc-netem(8)): each
// probability is per packet leaving the node's interface, each correlation
// ties a draw to the previous one (0: independent, 1: always the same); and
// a rate, tbf's token bucket (tc-tbf(8)).
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace atomixtest::net {

struct CorrelatedChance {
    double probability = 0;
    double correlation = 0;
};

// Tokens of bytes come at `bits_per_second` into a bucket of `burst_bytes`;
// a packet leaves when the bucket holds its size, and is dropped if it would
// wait longer than `latency` (tbf's latency: the queue's length in time).
struct RateLimit {
    int64_t bits_per_second = 0;  // 0: no limit
    int64_t burst_bytes = 0;
    std::chrono::nanoseconds latency{0};
};

struct NetemSpec {
    std::chrono::nanoseconds latency{0};
    std::chrono::nanoseconds jitter{0};
    double delay_correlation = 0;
    std::string distribution = "normal";  // normal | pareto | paretonormal | uniform
    CorrelatedChance loss, reorder, duplicate, corrupt;
    // netem reorders only against delayed packets: reorder brings a delay of
    // its own, used while no delay is set.
    std::chrono::nanoseconds reorder_latency{0};
    RateLimit rate;
    uint64_t seed = 0;

    // The delay packets wait: the delay's, else reorder's own.
    std::chrono::nanoseconds delay_latency() const;
    bool empty() const;

    nlohmann::json to_json() const;
    static NetemSpec from_json(const nlohmann::json& json);
};

// The settings, each owned by the verb of its name: delay (latency, jitter,
// correlation, distribution), drop, reorder, duplicate, corrupt, rate.
const std::vector<std::string>& netem_settings();
bool has_setting(const NetemSpec& spec, const std::string& setting);
// `to` with the setting's fields taken from `from` (cleared if `from` has none).
NetemSpec with_setting(NetemSpec to, const std::string& setting, const NetemSpec& from);
// Each setting from `own` where it has one, else from `all`.
NetemSpec overlay(NetemSpec all, const NetemSpec& own);

// Which settings the kernel carries on a node (tc's netem and tbf qdiscs),
// the rest being the userspace daemon's.
struct KernelDrivers {
    bool netem = false;
    bool rate = false;
};
NetemSpec kernel_part(const NetemSpec& spec, KernelDrivers kernel);
NetemSpec user_part(const NetemSpec& spec, KernelDrivers kernel);

// A verb's params, as the door completes them (durations as "200ms" text,
// every default in), into a spec holding that verb's setting.
NetemSpec netem_spec_for(const std::string& verb, const nlohmann::json& params);

}  // namespace atomixtest::net
