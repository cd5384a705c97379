#include "history/availability.hpp"

#include <algorithm>

namespace atomixtest {

AvailabilityCounts Availability::overall() const {
    return {during_faults.invoked + outside_faults.invoked,
            during_faults.answered + outside_faults.answered};
}

nlohmann::json Availability::to_json() const {
    auto counts = [](const AvailabilityCounts& c) {
        return nlohmann::json{
            {"invoked", c.invoked}, {"answered", c.answered}, {"availability", c.ratio()}};
    };
    nlohmann::json latency = nullptr;
    if (!ok_latencies_ns.empty()) {
        auto ms = [&](double q) {
            return ok_latencies_ns[static_cast<size_t>(q * (ok_latencies_ns.size() - 1))] / 1e6;
        };
        latency = {{"p50_ms", ms(.5)}, {"p99_ms", ms(.99)}, {"max_ms", ms(1)}};
    }
    return {{"during_faults", counts(during_faults)},
            {"outside_faults", counts(outside_faults)},
            {"overall", counts(overall())},
            {"ok_latency", latency}};
}

void AvailabilityTally::add(const HistoryEvent& event) {
    if (event.process == kNemesisProcess) {
        if (event.f == "start") ++faults_in_force_;
        if (event.f == "stop" && faults_in_force_ > 0) --faults_in_force_;
        return;
    }
    if (event.type == EventType::Invoke) {
        open_[event.process] = {faults_in_force_ > 0, event.time_ns};
        auto& counts = faults_in_force_ > 0 ? tally_.during_faults : tally_.outside_faults;
        ++counts.invoked;
        return;
    }
    auto invoked = open_.find(event.process);
    if (invoked == open_.end()) return;
    bool answered = event.type == EventType::Ok ||
                    (event.type == EventType::Fail &&
                     !(event.value.is_object() && event.value.contains("error")));
    if (answered) {
        ++(invoked->second.during_fault ? tally_.during_faults : tally_.outside_faults).answered;
    }
    if (event.type == EventType::Ok) {
        tally_.ok_latencies_ns.push_back(event.time_ns - invoked->second.invoked_ns);
    }
    open_.erase(invoked);
}

Availability AvailabilityTally::result() const {
    auto result = tally_;
    std::sort(result.ok_latencies_ns.begin(), result.ok_latencies_ns.end());
    return result;
}

}  // namespace atomixtest
