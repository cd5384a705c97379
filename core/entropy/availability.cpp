#include "entropy/availability.hpp"

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
    return {{"during_faults", counts(during_faults)},
            {"outside_faults", counts(outside_faults)},
            {"overall", counts(overall())}};
}

void AvailabilityTally::add(const HistoryEvent& event) {
    if (event.process == kNemesisProcess) {
        if (event.f == "start") ++faults_in_force_;
        if (event.f == "stop" && faults_in_force_ > 0) --faults_in_force_;
        return;
    }
    if (event.type == EventType::Invoke) {
        open_[event.process] = faults_in_force_ > 0;
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
        ++(invoked->second ? tally_.during_faults : tally_.outside_faults).answered;
    }
    open_.erase(invoked);
}

Availability AvailabilityTally::result() const {
    return tally_;
}

}  // namespace atomixtest
