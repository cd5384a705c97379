#include "shaping_driver.hpp"

#include <cstdlib>
#include <map>
#include <mutex>

#include "atomixtest/error.hpp"
#include "netem/netem_rules.hpp"
#include "netem/tc_netem.hpp"
#include "netem/userspace_netem.hpp"

namespace atomixtest::net {

namespace {

bool succeeds(FaultContext& context, int node, std::vector<std::string> argv) {
    auto results =
        context.backend.run_in_nodes(context.cluster.name, {{node, std::move(argv), ""}});
    return !results.empty() && results[0].exit_code == 0;
}

void run_tc(FaultContext& context, int node, const std::string& script) {
    auto results = context.backend.run_in_nodes(
        context.cluster.name, {{node, tc_tree_command(kInterface, script), script}});
    if (!script.empty() && (results.empty() || results[0].exit_code != 0)) {
        throw Error(ErrorKind::Environment,
                    "tc on node " + std::to_string(node) + ": " +
                        (results.empty() ? std::string("not run") : results[0].err));
    }
}

}  // namespace

KernelDrivers kernel_drivers(FaultContext& context, int node) {
    // ATOMIX_TEST_NETEM=userspace: the daemon does it all, as on a kernel
    // without the qdiscs (to compare the drivers, or to test the daemon).
    const char* driver = std::getenv("ATOMIX_TEST_NETEM");
    if (driver && std::string(driver) == "userspace") return {};
    // By backend and cluster: the kernel does not change under a cluster.
    static std::mutex mutex;
    static std::map<std::string, KernelDrivers> probed;
    auto key = context.cluster.backend + "/" + context.cluster.name;
    {
        std::lock_guard lock(mutex);
        if (auto it = probed.find(key); it != probed.end()) return it->second;
    }
    KernelDrivers kernel;
    // The tree (htb, u32, tbf) carries netem too, so netem needs it as well.
    kernel.rate = succeeds(context, node, tc_rate_probe());
    kernel.netem = kernel.rate && succeeds(context, node, tc_netem_probe());
    std::lock_guard lock(mutex);
    return probed[key] = kernel;
}

Shaping shaping_of(FaultContext& context, int node) {
    return running_shaping(context.backend, context.cluster.name, node).value_or(Shaping{});
}

void put_shaping(FaultContext& context, int node, const Shaping& before, Shaping wanted) {
    wanted.kernel = kernel_drivers(context, node);
    wanted.prune();
    // The tree is rebuilt only when it changes: a bucket in use keeps its
    // tokens while a setting of the daemon's changes.
    auto script = tc_tree_script(kInterface, wanted);
    if (script != tc_tree_script(kInterface, before)) run_tc(context, node, script);
    if (wanted.empty()) {
        stop_userspace_netem(context.backend, context.cluster.name, node);
    } else {
        start_userspace_netem(context.backend, context.cluster.name, node, wanted,
                              before.needs_daemon());
    }
}

void clear_shaping(FaultContext& context, const std::vector<int>& nodes) {
    std::vector<NodeCommand> commands;
    for (int node : nodes) {
        auto tc = tc_tree_command(kInterface, "");
        auto rules = netem_rules_removal();
        commands.push_back({node, {"sh", "-c", tc.back() + "; " + rules.back()}, ""});
    }
    context.backend.run_in_nodes(context.cluster.name, commands);
    for (int node : nodes) stop_netem_daemon(context.backend, context.cluster.name, node);
}

}  // namespace atomixtest::net
