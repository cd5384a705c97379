#include "entropy/entropy_run.hpp"

#include <random>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "entropy/entropy_phase.hpp"
#include "profile/profile_loader.hpp"
#include "results/results_dir.hpp"
#include "session/cluster_lease.hpp"

namespace atomixtest {

namespace {

std::string new_cluster_name() {
    std::random_device entropy;
    char suffix[12];
    snprintf(suffix, sizeof suffix, "%06x", entropy() & 0xFFFFFF);
    return std::string("entropy-") + suffix;
}

// The ids the run's faults may name: the new cluster's, or the one given's.
std::vector<int> node_ids_of(Workspace& workspace, const EntropyOptions& options) {
    if (!options.cluster.empty()) return workspace.locate(options.cluster).info.node_ids();
    std::vector<int> ids;
    for (int id = 1; id <= options.nodes; ++id) ids.push_back(id);
    return ids;
}

}  // namespace

int run_entropy(Workspace& workspace, const EntropyOptions& options, std::ostream& out) {
    validate_entropy_options(options);
    // Everything that can be refused is, before any cluster exists: the
    // functions' verbs and params, and where the record goes.
    check_fault_functions(workspace.catalog(), options.functions, node_ids_of(workspace, options));
    auto results = make_results_dir(options.results, "entropy");
    ClusterLease lease(workspace, options.backend, out);
    std::shared_ptr<Backend> backend;
    std::string cluster = options.cluster;
    if (cluster.empty()) {
        auto profile = load_profile_to_start(options.profile);
        cluster = new_cluster_name();
        out << "entropy: setting up " << options.nodes << "-node " << profile.name << " cluster "
            << cluster << " (" << options.backend << ")\n";
        ClusterSpec spec{cluster, profile.name, options.nodes, ""};
        if (wants_lazy_disk(options.functions)) spec.disk = "lazy";
        lease.setup(spec, profile, options.keep);
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
