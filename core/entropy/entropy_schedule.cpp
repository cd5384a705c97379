#include "entropy/entropy_schedule.hpp"

#include <algorithm>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace {

using std::chrono::milliseconds;

// Durations are drawn to the millisecond: finer steps mean nothing to a
// scheduler that sleeps.
Duration draw_duration(std::mt19937_64& random, const DurationRange& range) {
    auto low = std::chrono::duration_cast<milliseconds>(range.min).count();
    auto high = std::chrono::duration_cast<milliseconds>(range.max).count();
    if (high <= low) return range.min;
    return milliseconds(static_cast<int64_t>(
        draw_uniform(random, static_cast<uint64_t>(low), static_cast<uint64_t>(high))));
}

int draw_node(std::mt19937_64& random, const std::vector<int>& node_ids) {
    return node_ids[draw_uniform(random, 0, node_ids.size() - 1)];
}

// More than half the nodes, drawn one by one from those left.
std::vector<int> draw_majority(std::mt19937_64& random, std::vector<int> left) {
    std::vector<int> drawn;
    size_t count = left.size() / 2 + 1;
    while (drawn.size() < count) {
        auto at = draw_uniform(random, 0, left.size() - 1);
        drawn.push_back(left[at]);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(at));
    }
    std::sort(drawn.begin(), drawn.end());
    return drawn;
}

std::vector<int> draw_targets(std::mt19937_64& random, const EntropyFunction& function,
                              const std::vector<int>& node_ids) {
    switch (function.kind) {
        case FunctionKind::Crash:
            if (function.majority) return draw_majority(random, node_ids);
            return {draw_node(random, node_ids)};
        case FunctionKind::PartitionIsolate:
        case FunctionKind::PartitionBridge:
            return {draw_node(random, node_ids)};
        case FunctionKind::PartitionRandom: {
            int first = draw_node(random, node_ids);
            std::vector<int> others;
            std::copy_if(node_ids.begin(), node_ids.end(), std::back_inserter(others),
                         [&](int id) { return id != first; });
            return {first, draw_node(random, others)};
        }
        case FunctionKind::PartitionRing: {
            // The ring's order, shuffled (Fisher-Yates on the raw draws).
            std::vector<int> ring = node_ids;
            for (size_t i = ring.size() - 1; i > 0; --i) {
                std::swap(ring[i], ring[draw_uniform(random, 0, i)]);
            }
            return ring;
        }
        case FunctionKind::Pause:
        case FunctionKind::StressNetwork:
        case FunctionKind::StressRate:
        case FunctionKind::StressCpu:
        case FunctionKind::StressIo:
        case FunctionKind::StressMemory:
        case FunctionKind::ClockBump:
        case FunctionKind::ClockStrobe:
        case FunctionKind::ClockRate:
            if (function.all_nodes) return {};
            return {draw_node(random, node_ids)};
        default:
            return {};
    }
}

}  // namespace

EntropySchedule plan_entropy(const std::vector<EntropyFunction>& functions,
                             const std::vector<int>& node_ids, Duration run_time, uint64_t seed) {
    EntropySchedule schedule{seed, run_time, functions, {}};
    if (functions.empty()) return schedule;
    if (node_ids.size() < 2) throw bad_input("entropy needs a cluster of at least 2 nodes");
    std::mt19937_64 random(seed);
    Duration now{};
    for (int sequence = 1;; ++sequence) {
        size_t index = draw_uniform(random, 0, functions.size() - 1);
        const auto& function = functions[index];
        // Always drawn in the same order, so that one draw never shifts another.
        auto delay = draw_duration(random, function.delay);
        auto period = draw_duration(random, function.period);
        auto targets = draw_targets(random, function, node_ids);
        // Drawn last, and only for a lag: schedules without one stay as they were.
        Duration lag{};
        if (function.lag) lag = draw_duration(random, *function.lag);
        auto start = now + delay;
        if (start + lag >= run_time) break;
        period = std::min(lag + period, run_time - start);
        schedule.faults.push_back({sequence, index, start, period, targets, lag});
        now = start + period;
    }
    return schedule;
}

nlohmann::json EntropySchedule::to_json() const {
    nlohmann::json json = {{"seed", seed},
                           {"run_time", format_duration(run_time)},
                           {"functions", nlohmann::json::array()},
                           {"faults", nlohmann::json::array()}};
    for (const auto& function : functions) json["functions"].push_back(function.to_json());
    for (const auto& fault : faults) {
        json["faults"].push_back({{"sequence", fault.sequence},
                                  {"function", functions[fault.function].describe()},
                                  {"start_ms", fault.start.count() / 1'000'000},
                                  {"period_ms", fault.period.count() / 1'000'000},
                                  {"nodes", fault.nodes}});
        if (fault.lag.count() > 0) json["faults"].back()["lag_ms"] = fault.lag.count() / 1'000'000;
    }
    return json;
}

}  // namespace atomixtest
