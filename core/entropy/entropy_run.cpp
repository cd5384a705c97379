#include "entropy/entropy_run.hpp"

#include <random>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "engine/cluster_lease.hpp"
#include "entropy/entropy_phase.hpp"
#include "profile/profile_loader.hpp"
#include "results/results_dir.hpp"

namespace atomixtest {

namespace {

std::string new_cluster_name() {
    std::random_device entropy;
    char suffix[12];
    snprintf(suffix, sizeof suffix, "%06x", entropy() & 0xFFFFFF);
    return std::string("entropy-") + suffix;
}

}  // namespace

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

int run_entropy(Workspace& workspace, const EntropyOptions& options, std::ostream& out) {
    validate_entropy_options(options);
    // Where the record goes is known to work before any cluster exists.
    auto results = make_results_dir(options.results, "entropy");
    ClusterLease lease(workspace, options.backend, out);
    std::shared_ptr<Backend> backend;
    std::string cluster = options.cluster;
    if (cluster.empty()) {
        auto profile = load_profile_to_start(options.profile);
        cluster = new_cluster_name();
        out << "entropy: setting up " << options.nodes << "-node " << profile.name << " cluster "
            << cluster << " (" << options.backend << ")\n";
        lease.setup({cluster, profile.name, options.nodes, ""}, profile, options.keep);
        backend = lease.backend();
    } else {
        backend = workspace.locate(options.cluster).backend;
    }
    auto phase = run_entropy_phase(workspace, backend, cluster, options, results, out);
    bool available_enough = !options.min_availability ||
                            phase.availability.during_faults.ratio() >= *options.min_availability;
    if (!available_enough) {
        out << "availability during faults is below --min-availability "
            << *options.min_availability << "\n";
    }
    if (phase.interrupted) return kInterruptedExit;
    if (phase.check.verdict == Verdict::NotLinearizable) return 1;
    if (phase.check.verdict == Verdict::Unknown) return 3;
    return available_enough ? 0 : 1;
}

}  // namespace atomixtest
