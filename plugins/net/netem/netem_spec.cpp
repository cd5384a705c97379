#include "netem_spec.hpp"

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"

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

namespace {

double fraction(const nlohmann::json& params, const char* field, double fallback) {
    if (!params.contains(field)) return fallback;
    const auto& value = params.at(field);
    if (!value.is_number()) {
        throw bad_input(std::string(field) + ": expected a number in [0, 1], got " + value.dump());
    }
    double number = value.get<double>();
    if (!(number >= 0 && number <= 1)) {  // NaN fails both
        throw bad_input(std::string(field) + ": must be within [0, 1], got " + value.dump());
    }
    return number;
}

std::chrono::nanoseconds duration_field(const nlohmann::json& params, const char* field,
                                        std::chrono::nanoseconds fallback) {
    if (!params.contains(field)) return fallback;
    const auto& value = params.at(field);
    if (value.is_number()) {
        double milliseconds = value.get<double>();
        if (!(milliseconds >= 0)) {
            throw bad_input(std::string(field) + ": must not be negative, got " + value.dump());
        }
        if (!(milliseconds * 1e6 <= static_cast<double>(kMaxDuration.count()))) {
            throw bad_input(std::string(field) + ": at most 720h (30 days), got " + value.dump() +
                            " ms");
        }
        return std::chrono::nanoseconds(static_cast<int64_t>(milliseconds * 1e6));
    }
    if (!value.is_string()) {
        throw bad_input(std::string(field) + ": expected a duration (200ms, 1s; a number is ms)");
    }
    auto text = value.get<std::string>();
    if (!text.empty() && text[0] == '-') {
        throw bad_input(std::string(field) + ": must not be negative, got " + text);
    }
    try {
        return parse_duration(text, "ms");
    } catch (const Error& error) {
        throw bad_input(std::string(field) + ": " + error.what());
    }
}

}  // namespace

NetemSpec netem_spec_for(const std::string& verb, const nlohmann::json& params) {
    using std::chrono::milliseconds;
    NetemSpec spec;
    if (verb == "delay") {
        spec.latency = duration_field(params, "latency", milliseconds(50));
        spec.jitter = duration_field(params, "jitter", milliseconds(10));
        spec.delay_correlation = fraction(params, "correlation", .75);
        spec.distribution = params.value("distribution", "normal");
        static const char* kDistributions[] = {"normal", "pareto", "paretonormal", "uniform"};
        if (std::find(std::begin(kDistributions), std::end(kDistributions), spec.distribution) ==
            std::end(kDistributions)) {
            throw bad_input("distribution: unknown '" + spec.distribution +
                            "' (allowed: normal, pareto, paretonormal, uniform)");
        }
    } else if (verb == "drop") {
        spec.loss = {fraction(params, "probability", .02), fraction(params, "correlation", .25)};
    } else if (verb == "reorder") {
        // netem reorders by sending some packets at once while the rest wait:
        // without a delay of its own there is nothing to overtake.
        spec.reorder = {fraction(params, "probability", .02), fraction(params, "correlation", .5)};
        spec.latency = duration_field(params, "latency", milliseconds(10));
    } else if (verb == "duplicate") {
        spec.duplicate = {fraction(params, "probability", .005),
                          fraction(params, "correlation", .05)};
    } else if (verb == "corrupt") {
        spec.corrupt = {fraction(params, "probability", .02), 0};
    } else {
        throw bad_input("no netem verb " + verb);
    }
    return spec;
}

}  // namespace atomixtest::net
