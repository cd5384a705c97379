#include "stress_spec.hpp"

#include <algorithm>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"

namespace atomixtest::stress {

namespace {

const char* const kKinds[] = {"cpu", "io", "memory", "hdd"};

nlohmann::json workers(const std::string& what) {
    return {{"type", "integer"},
            {"minimum", 0},
            {"maximum", kMaxWorkers},
            {"description", "workers " + what}};
}

}  // namespace

nlohmann::json start_params_schema() {
    return {
        {"type", "object"},
        {"properties",
         {{"node", {{"type", "integer"}, {"minimum", 1}, {"description", "absent: every node"}}},
          {"cpu", workers("spinning on sqrt")},
          {"io", workers("calling sync")},
          {"memory", workers("on malloc/free")},
          {"hdd", workers("writing files on the node's disk")},
          {"timeout",
           {{"type", "string"},
            {"pattern", kDurationPattern},
            {"description", "the stressors end by themselves after this"}}},
          {"memory_bytes",
           {{"type", "string"},
            {"description",
             "memory the memory workers share (e.g. 256m); default: half the "
             "node's memory limit, else an eighth of this machine's (at most 1g)"}}}}},
        {"additionalProperties", false}};
}

StressSpec parse_stress(const Params& params) {
    StressSpec spec;
    int* fields[] = {&spec.cpu, &spec.io, &spec.memory, &spec.hdd};
    int total = 0;
    for (size_t i = 0; i < 4; ++i) {
        if (!params.contains(kKinds[i])) continue;
        const auto& value = params.at(kKinds[i]);
        if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
            value.get<int64_t>() > kMaxWorkers) {
            throw bad_input(std::string(kKinds[i]) + ": a number of workers from 0 to " +
                            std::to_string(kMaxWorkers) + ", got " + value.dump());
        }
        *fields[i] = value.get<int>();
        total += *fields[i];
    }
    if (total == 0) throw bad_input("stress needs workers: --cpu, --io, --memory or --hdd above 0");
    if (params.contains("timeout")) {
        spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(params.at("timeout").get<std::string>()));
        if (spec.timeout < std::chrono::seconds(1)) {
            throw bad_input("timeout: at least 1s (stress-ng counts whole seconds)");
        }
    }
    if (params.contains("memory_bytes")) {
        spec.memory_bytes =
            parse_size(params.at("memory_bytes").get<std::string>(), "memory_bytes");
    }
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
