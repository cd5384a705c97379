#include "netem_spec.hpp"

#include <algorithm>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest::net {

namespace {

nlohmann::json chance_json(const CorrelatedChance& c) {
    return {{"probability", c.probability}, {"correlation", c.correlation}};
}

CorrelatedChance chance_of(const nlohmann::json& c) {
    return {c.at("probability"), c.at("correlation")};
}

// Each setting's fields, copied from one spec to another: the one place
// that says which fields a verb owns.
struct Setting {
    const char* name;
    bool (*present)(const NetemSpec&);
    void (*copy)(NetemSpec& to, const NetemSpec& from);
    bool kernel_netem;  // carried by the netem qdisc (else by tbf)
};

const Setting kSettings[] = {
    {"delay", [](const NetemSpec& s) { return s.latency.count() > 0 || s.jitter.count() > 0; },
     [](NetemSpec& to, const NetemSpec& from) {
         to.latency = from.latency;
         to.jitter = from.jitter;
         to.delay_correlation = from.delay_correlation;
         to.distribution = from.distribution;
     },
     true},
    {"drop", [](const NetemSpec& s) { return s.loss.probability > 0; },
     [](NetemSpec& to, const NetemSpec& from) { to.loss = from.loss; }, true},
    {"reorder", [](const NetemSpec& s) { return s.reorder.probability > 0; },
     [](NetemSpec& to, const NetemSpec& from) {
         to.reorder = from.reorder;
         to.reorder_latency = from.reorder_latency;
     },
     true},
    {"duplicate", [](const NetemSpec& s) { return s.duplicate.probability > 0; },
     [](NetemSpec& to, const NetemSpec& from) { to.duplicate = from.duplicate; }, true},
    {"corrupt", [](const NetemSpec& s) { return s.corrupt.probability > 0; },
     [](NetemSpec& to, const NetemSpec& from) { to.corrupt = from.corrupt; }, true},
    {"rate", [](const NetemSpec& s) { return s.rate.bits_per_second > 0; },
     [](NetemSpec& to, const NetemSpec& from) { to.rate = from.rate; }, false},
};

const Setting& setting_named(const std::string& name) {
    for (const auto& setting : kSettings) {
        if (name == setting.name) return setting;
    }
    throw Error(ErrorKind::Internal, "no netem setting " + name);
}

// The spec with only the settings `keep` says yes to.
NetemSpec part(const NetemSpec& spec, bool (*keep)(const Setting&, KernelDrivers),
               KernelDrivers kernel) {
    NetemSpec kept;
    kept.seed = spec.seed;
    for (const auto& setting : kSettings) {
        if (keep(setting, kernel)) setting.copy(kept, spec);
    }
    return kept;
}

bool in_kernel(const Setting& setting, KernelDrivers kernel) {
    return setting.kernel_netem ? kernel.netem : kernel.rate;
}

}  // namespace

std::chrono::nanoseconds NetemSpec::delay_latency() const {
    if (latency.count() > 0 || reorder.probability <= 0) return latency;
    return reorder_latency;
}

bool NetemSpec::empty() const {
    return std::none_of(std::begin(kSettings), std::end(kSettings),
                        [&](const Setting& setting) { return setting.present(*this); });
}

const std::vector<std::string>& netem_settings() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& setting : kSettings) all.emplace_back(setting.name);
        return all;
    }();
    return names;
}

bool has_setting(const NetemSpec& spec, const std::string& setting) {
    return setting_named(setting).present(spec);
}

NetemSpec with_setting(NetemSpec to, const std::string& setting, const NetemSpec& from) {
    setting_named(setting).copy(to, from);
    return to;
}

NetemSpec overlay(NetemSpec all, const NetemSpec& own) {
    for (const auto& setting : kSettings) {
        if (setting.present(own)) setting.copy(all, own);
    }
    return all;
}

NetemSpec kernel_part(const NetemSpec& spec, KernelDrivers kernel) {
    return part(spec, in_kernel, kernel);
}

NetemSpec user_part(const NetemSpec& spec, KernelDrivers kernel) {
    return part(
        spec, [](const Setting& setting, KernelDrivers k) { return !in_kernel(setting, k); },
        kernel);
}

nlohmann::json NetemSpec::to_json() const {
    return {{"latency_ns", latency.count()},
            {"jitter_ns", jitter.count()},
            {"delay_correlation", delay_correlation},
            {"distribution", distribution},
            {"loss", chance_json(loss)},
            {"reorder", chance_json(reorder)},
            {"reorder_latency_ns", reorder_latency.count()},
            {"duplicate", chance_json(duplicate)},
            {"corrupt", chance_json(corrupt)},
            {"rate",
             {{"bits_per_second", rate.bits_per_second},
              {"burst_bytes", rate.burst_bytes},
              {"latency_ns", rate.latency.count()}}},
            {"seed", seed}};
}

NetemSpec NetemSpec::from_json(const nlohmann::json& json) {
    NetemSpec spec;
    spec.latency = std::chrono::nanoseconds(json.at("latency_ns").get<int64_t>());
    spec.jitter = std::chrono::nanoseconds(json.at("jitter_ns").get<int64_t>());
    spec.delay_correlation = json.at("delay_correlation");
    spec.distribution = json.at("distribution");
    spec.loss = chance_of(json.at("loss"));
    spec.reorder = chance_of(json.at("reorder"));
    spec.reorder_latency = std::chrono::nanoseconds(json.value("reorder_latency_ns", int64_t{0}));
    spec.duplicate = chance_of(json.at("duplicate"));
    spec.corrupt = chance_of(json.at("corrupt"));
    if (json.contains("rate")) {
        const auto& rate = json["rate"];
        spec.rate = {rate.at("bits_per_second"), rate.at("burst_bytes"),
                     std::chrono::nanoseconds(rate.at("latency_ns").get<int64_t>())};
    }
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
        spec.reorder = chance(true);
        spec.reorder_latency = duration_param(params, "latency");
    } else if (verb == "duplicate") {
        spec.duplicate = chance(true);
    } else if (verb == "corrupt") {
        spec.corrupt = chance(false);
    } else if (verb == "rate") {
        spec.rate = {rate_param(params, "rate"), size_param(params, "burst"),
                     duration_param(params, "latency")};
    } else {
        throw Error(ErrorKind::Internal, "no netem verb " + verb);
    }
    return spec;
}

}  // namespace atomixtest::net
