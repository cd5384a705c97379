#include "testing/fault_params.hpp"

#include <string>

namespace atomixtest::detail {

namespace {

std::string milliseconds(std::chrono::milliseconds duration) {
    return std::to_string(duration.count()) + "ms";
}

}  // namespace

Params delay_params(const DelayOptions& options) {
    return {{"latency", milliseconds(options.latency)},
            {"jitter", milliseconds(options.jitter)},
            {"correlation", options.correlation},
            {"distribution", options.distribution}};
}

Params drop_params(const DropOptions& options) {
    return {{"probability", options.probability}, {"correlation", options.correlation}};
}

Params reorder_params(const ReorderOptions& options) {
    return {{"probability", options.probability},
            {"correlation", options.correlation},
            {"latency", milliseconds(options.latency)}};
}

Params duplicate_params(const DuplicateOptions& options) {
    return {{"probability", options.probability}, {"correlation", options.correlation}};
}

Params corrupt_params(const CorruptOptions& options) {
    return {{"probability", options.probability}};
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
