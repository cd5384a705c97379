#include "netem_spec.hpp"

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest::net {

nlohmann::json NetemSpec::to_json() const {
    auto chance = [](const CorrelatedChance& c) {
        return nlohmann::json{{"probability", c.probability}, {"correlation", c.correlation}};
    };
    return {{"latency_ns", latency.count()},
            {"jitter_ns", jitter.count()},
            {"delay_correlation", delay_correlation},
            {"distribution", distribution},
            {"loss", chance(loss)},
            {"reorder", chance(reorder)},
            {"duplicate", chance(duplicate)},
            {"corrupt", chance(corrupt)},
            {"seed", seed}};
}

NetemSpec NetemSpec::from_json(const nlohmann::json& json) {
    auto chance = [](const nlohmann::json& c) {
        return CorrelatedChance{c.at("probability"), c.at("correlation")};
    };
    NetemSpec spec;
    spec.latency = std::chrono::nanoseconds(json.at("latency_ns").get<int64_t>());
    spec.jitter = std::chrono::nanoseconds(json.at("jitter_ns").get<int64_t>());
    spec.delay_correlation = json.at("delay_correlation");
    spec.distribution = json.at("distribution");
    spec.loss = chance(json.at("loss"));
    spec.reorder = chance(json.at("reorder"));
    spec.duplicate = chance(json.at("duplicate"));
    spec.corrupt = chance(json.at("corrupt"));
    spec.seed = json.at("seed");
    return spec;
}

// The params come through the door: checked, with every default filled in,
// so they are read here without a fallback or a check of their own.
NetemSpec netem_spec_for(const std::string& verb, const nlohmann::json& params) {
    NetemSpec spec;
    auto chance = [&](bool with_correlation) {
        return CorrelatedChance{number_param(params, "probability"),
                                with_correlation ? number_param(params, "correlation") : 0};
    };
    if (verb == "delay") {
        spec.latency = duration_param(params, "latency");
        spec.jitter = duration_param(params, "jitter");
        spec.delay_correlation = number_param(params, "correlation");
        spec.distribution = string_param(params, "distribution");
    } else if (verb == "drop") {
        spec.loss = chance(true);
    } else if (verb == "reorder") {
        // netem reorders by sending some packets at once while the rest wait:
        // without a delay of its own there is nothing to overtake.
        spec.reorder = chance(true);
        spec.latency = duration_param(params, "latency");
    } else if (verb == "duplicate") {
        spec.duplicate = chance(true);
    } else if (verb == "corrupt") {
        spec.corrupt = chance(false);
    } else {
        throw Error(ErrorKind::Internal, "no netem verb " + verb);
    }
    return spec;
}

}  // namespace atomixtest::net
