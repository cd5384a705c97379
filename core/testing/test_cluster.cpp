// create_cluster and Cluster: set-up and teardown through the Workspace, as
// `atomix-test cluster NAME setup|teardown` does, under this process's claim.
#include "atomixtest/testing/test_cluster.hpp"

#include <iostream>
#include <random>

#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"
#include "atomixtest/testing/test_names.hpp"
#include "profile/profile_loader.hpp"
#include "testing/cluster_core.hpp"
#include "testing/fault_params.hpp"
#include "util/paths.hpp"

namespace atomixtest {

Cluster create_cluster(const std::string& profile, const ClusterOptions& options) {
    auto name = options.name.empty() ? generated_cluster_name() : options.name;
    validate_cluster_name(name);
    uint64_t seed = options.seed ? *options.seed : std::random_device{}();
    auto core = std::make_shared<detail::ClusterCore>(options.backend, name, seed);
    auto loaded = load_profile_to_start(profile);
    // The seed first, so a run that fails in set-up can still be replayed.
    std::cerr << "atomix-test: cluster " << name << " (" << options.nodes << " " << loaded.name
              << " nodes, backend " << options.backend << ", seed " << seed << ")" << std::endl;
    core->workspace().setup_cluster(
        options.backend,
        {.name = name,
         .profile = loaded.name,
         .nodes = options.nodes,
         .subnet = options.subnet,
         .cpus = options.cpus,
         .memory = options.memory.empty() ? 0 : parse_size(options.memory, "memory")},
        loaded, options.keep ? ClusterKeeper::User : ClusterKeeper::ThisProcess);
    Cluster cluster(core);
    if (options.keep) core->keep();
    return cluster;
}

Cluster& Cluster::operator=(Cluster&& other) noexcept {
    if (this == &other) return *this;
    Cluster gone(std::move(*this));  // torn down at the end of this scope
    core_ = std::move(other.core_);
    return *this;
}

Cluster::~Cluster() {
    if (!core_ || core_->kept()) return;
    try {
        core_->teardown();
    } catch (const std::exception& error) {
        std::cerr << "atomix-test: teardown of cluster " << core_->name()
                  << " failed: " << error.what() << " (`atomix-test gc` removes it)\n";
    }
}

const std::string& Cluster::name() const {
    return core_->name();
}
const std::string& Cluster::backend() const {
    return core_->backend_name();
}
std::string Cluster::profile() const {
    return core_->describe().profile;
}
uint64_t Cluster::seed() const {
    return core_->seed();
}

// Both backends keep a cluster's files under <state root>/<backend>/<cluster>.
std::filesystem::path Cluster::path() const {
    return state_root() / core_->backend_name() / core_->name();
}

Network Cluster::network() const {
    return Network(core_);
}

Node Cluster::node(int id) const {
    return {core_, core_->resolve(id)};
}

Node Cluster::node(std::string_view name) const {
    return {core_, core_->resolve(std::string(name))};
}

std::vector<Node> Cluster::nodes(std::optional<NodeType> type) const {
    std::vector<Node> list;
    for (const auto& node : core_->describe().nodes) {
        if (!type || node.type == *type) list.emplace_back(core_, node.id);
    }
    return list;
}

Node Cluster::add_node(NodeType type) {
    // Atomix's client nodes have a profile of their own; a server is one
    // more of the cluster's kind.
    return add_node_of_profile(type == NodeType::Client ? "client" : profile());
}

Node Cluster::add_node_of_profile(const std::string& profile) {
    return {core_, core_->add_node(profile)};
}

void Cluster::remove_node(const NodeRef& node) {
    core_->apply("node.remove", {{"node", core_->resolve(node)}});
}

FaultGuard Cluster::fault(const std::string& verb, const nlohmann::json& params) const {
    return core_->fault(verb, params);
}

FaultGuard Cluster::stress(const StressOptions& options) const {
    return core_->fault("stress.start", detail::stress_params(options));
}

FaultGuard Cluster::stress(const NodeRef& node, const StressOptions& options) const {
    return core_->fault("stress.start",
                        detail::with_node(detail::stress_params(options), core_->resolve(node)));
}

void Cluster::destress(const std::optional<NodeRef>& node) const {
    std::optional<int> id;
    if (node) id = core_->resolve(*node);
    core_->apply("stress.stop", detail::with_node(nlohmann::json::object(), id));
}

nlohmann::json Cluster::faults() const {
    return core_->faults_in_force();
}

void Cluster::keep() {
    core_->keep();
}

void Cluster::teardown() {
    core_->teardown();
}

}  // namespace atomixtest
