#include "scenario/entropy_options.hpp"

#include <sstream>

#include "atomixtest/error.hpp"
#include "session/param_check.hpp"

namespace atomixtest {

void validate_entropy_options(const EntropyOptions& options) {
    if (options.nodes < 2 && options.cluster.empty()) {
        throw bad_input("--nodes: at least 2 for entropy, got " + std::to_string(options.nodes));
    }
    if (!(options.workload.ops > 0) || options.workload.ops > 100000) {
        std::ostringstream given;
        given << options.workload.ops;
        throw bad_input("--ops: operations a second, above 0 and at most 100000, got " +
                        given.str());
    }
    if (options.workload.parallelism < 1 || options.workload.parallelism > 1024) {
        throw bad_input("--parallelism: 1 to 1024 processes, got " +
                        std::to_string(options.workload.parallelism));
    }
    if (options.workload.scale < 1) {
        throw bad_input("--scale: at least 1 key, got " + std::to_string(options.workload.scale));
    }
    if (options.workload.key_operations < 0) throw bad_input("--key-ops: 0 (never) or more");
    if (options.workload.key_concurrency < 0) {
        throw bad_input("--key-concurrency: 0 (no limit) or more");
    }
    if (options.prime < 0) throw bad_input("--prime: 0 or more operations");
    if (options.run_time <= Duration::zero()) throw bad_input("--run-time: above 0");
    if (options.min_availability &&
        !(*options.min_availability >= 0 && *options.min_availability <= 1)) {
        throw bad_input("--min-availability: a share from 0 to 1");
    }
}

void check_fault_functions(const VerbCatalog& catalog,
                           const std::vector<EntropyFunction>& functions,
                           const std::vector<int>& node_ids) {
    for (const auto& function : functions) {
        if (function.kind != FunctionKind::Fault) continue;
        auto refuse = [&](const std::string& why) {
            throw bad_input("entropy: " + function.describe() + ": " + why);
        };
        const auto* verb = catalog.find(function.verb, "");
        if (!verb || (verb->owner != VerbOwner::Fault && verb->owner != VerbOwner::Node)) {
            refuse("no fault verb " + function.verb + " (`atomix-test plugins` lists them)");
        }
        if (!verb->spec.scoped) {
            refuse(function.verb +
                   " has no undo: entropy holds a fault for a period, then "
                   "undoes it (a scoped verb is needed)");
        }
        try {
            throw_if_invalid(
                verb->spec,
                check_params(verb->spec, params_from_words(verb->spec, function.params), &node_ids),
                [](const std::string& param) { return "--" + param; });
        } catch (const Error& error) {
            refuse(error.what());
        }
    }
}

}  // namespace atomixtest
