#include "testing/fault_params.hpp"

#include <string>

namespace atomixtest::detail {

namespace {

std::string milliseconds(std::chrono::milliseconds duration) {
    return std::to_string(duration.count()) + "ms";
}

// Only what the caller set: the rest takes the verb's declared default.
void set(Params& params, const char* name, const std::optional<double>& value) {
    if (value) params[name] = *value;
}
void set(Params& params, const char* name, const std::optional<std::chrono::milliseconds>& value) {
    if (value) params[name] = milliseconds(*value);
}
void set(Params& params, const char* name, const std::optional<std::string>& value) {
    if (value) params[name] = *value;
}
void set(Params& params, const char* name, const std::vector<int>& value) {
    if (!value.empty()) params[name] = value;
}

}  // namespace

Params delay_params(const DelayOptions& options) {
    Params params = nlohmann::json::object();
    set(params, "latency", options.latency);
    set(params, "jitter", options.jitter);
    set(params, "correlation", options.correlation);
    set(params, "distribution", options.distribution);
    set(params, "to", options.to);
    return params;
}

Params drop_params(const DropOptions& options) {
    Params params = nlohmann::json::object();
    set(params, "probability", options.probability);
    set(params, "correlation", options.correlation);
    set(params, "to", options.to);
    return params;
}

Params reorder_params(const ReorderOptions& options) {
    Params params = nlohmann::json::object();
    set(params, "probability", options.probability);
    set(params, "correlation", options.correlation);
    set(params, "latency", options.latency);
    set(params, "to", options.to);
    return params;
}

Params duplicate_params(const DuplicateOptions& options) {
    Params params = nlohmann::json::object();
    set(params, "probability", options.probability);
    set(params, "correlation", options.correlation);
    set(params, "to", options.to);
    return params;
}

Params corrupt_params(const CorruptOptions& options) {
    Params params = nlohmann::json::object();
    set(params, "probability", options.probability);
    set(params, "to", options.to);
    return params;
}

Params rate_params(const RateOptions& options) {
    Params params = {{"rate", options.rate}};
    set(params, "burst", options.burst);
    set(params, "latency", options.latency);
    set(params, "to", options.to);
    return params;
}

// Worker kinds left at 0 are not sent, as the CLI leaves out the flags not given.
Params stress_params(const StressOptions& options) {
    Params params = nlohmann::json::object();
    for (const auto& [kind, count] :
         {std::pair{"cpu", options.cpu}, std::pair{"io", options.io},
          std::pair{"memory", options.memory}, std::pair{"hdd", options.hdd}}) {
        if (count != 0) params[kind] = count;
    }
    if (options.timeout) params["timeout"] = std::to_string(options.timeout->count()) + "s";
    if (!options.memory_bytes.empty()) params["memory_bytes"] = options.memory_bytes;
    return params;
}

Params with_node(Params params, std::optional<int> node) {
    if (node) params["node"] = *node;
    return params;
}

}  // namespace atomixtest::detail
