#include "stress_spec.hpp"

#include <algorithm>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"

namespace atomixtest::stress {

namespace {

const char* const kKinds[] = {"cpu", "io", "memory", "hdd"};

Param workers(const char* kind, const std::string& what) {
    return {.name = kind,
            .type = ParamType::Integer,
            .help = "workers " + what,
            .fallback = 0,
            .minimum = 0,
            .maximum = kMaxWorkers};
}

Param nodes(AbsentNodes absent) {
    return {.name = "node", .type = ParamType::Nodes, .help = "the nodes", .absent = absent};
}

}  // namespace

VerbSpec start_verb() {
    nlohmann::json any_worker = nlohmann::json::array();
    for (const char* kind : kKinds) {
        any_worker.push_back({{"required", {kind}}, {"properties", {{kind, {{"minimum", 1}}}}}});
    }
    return {"start",
            "load a node (or every running node) with stress-ng workers",
            {nodes(AbsentNodes::Running),
             workers("cpu", "spinning on sqrt"),
             workers("io", "calling sync"),
             workers("memory", "on malloc/free"),
             workers("hdd", "writing files on the node's disk"),
             {.name = "timeout",
              .type = ParamType::Duration,
              .help = "the stressors end by themselves after this (at least 1s; absent: at "
                      "stress.stop or the end)",
              .unit = "s"},
             {.name = "memory_bytes",
              .type = ParamType::Size,
              .help = "memory the memory workers share (absent: half the node's memory limit, "
                      "else an eighth of this machine's, at most 1g)"}},
            true,
            {{"anyOf", any_worker}},
            "stress needs workers: cpu, io, memory or hdd above 0"};
}

VerbSpec stop_verb() {
    return {"stop", "end the stress of a node (or every node) at once", {nodes(AbsentNodes::All)}};
}

StressSpec stress_spec_of(const Params& params) {
    StressSpec spec;
    spec.cpu = static_cast<int>(integer_param(params, "cpu"));
    spec.io = static_cast<int>(integer_param(params, "io"));
    spec.memory = static_cast<int>(integer_param(params, "memory"));
    spec.hdd = static_cast<int>(integer_param(params, "hdd"));
    if (params.contains("timeout")) {
        spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            duration_param(params, "timeout"));
        if (spec.timeout < std::chrono::seconds(1)) {
            throw bad_input("timeout: at least 1s (stress-ng counts whole seconds)");
        }
    }
    if (params.contains("memory_bytes")) spec.memory_bytes = size_param(params, "memory_bytes");
    return spec;
}

std::vector<std::string> stress_ng_argv(const StressSpec& spec, int64_t memory_bytes) {
    std::vector<std::string> argv = {"stress-ng", "--quiet"};
    auto add = [&](const char* flag, int count) {
        if (count > 0) argv.insert(argv.end(), {flag, std::to_string(count)});
    };
    add("--cpu", spec.cpu);
    if (spec.cpu > 0) argv.insert(argv.end(), {"--cpu-method", "sqrt"});
    add("--io", spec.io);
    add("--vm", spec.memory);
    if (spec.memory > 0) {
        auto each = std::max<int64_t>(4 << 20, memory_bytes / spec.memory);
        argv.insert(argv.end(), {"--vm-bytes", std::to_string(each)});
    }
    add("--hdd", spec.hdd);
    if (spec.hdd > 0) argv.insert(argv.end(), {"--hdd-bytes", "64m"});
    if (spec.timeout.count() > 0) {
        auto seconds = (spec.timeout.count() + 999) / 1000;
        argv.insert(argv.end(), {"--timeout", std::to_string(seconds) + "s"});
    }
    return argv;
}

}  // namespace atomixtest::stress
