// The pause plugin from C++, through the test API, as any built-in fault:
// cluster.fault("pause.node", ...) goes through the same door as a scenario's
// step and the CLI's `cluster NAME pause.node 1`. Run with the plugin on the
// plugin path (ATOMIX_TEST_PLUGIN_PATH=build); exits 0 when node 1 was paused
// while the guard lived and runs again once it went.
#include <atomixtest/testing.hpp>
#include <iostream>

int main() {
    atomixtest::ClusterOptions options;  // as {.nodes = 3}, without GCC 12's -Wextra warning
    options.nodes = 3;
    auto cluster = atomixtest::create_cluster("etcd", options);
    auto paused_nodes = [&] {
        std::vector<int> nodes;
        for (const auto& fault : cluster.faults()) {
            if (fault.value("plugin", "") == "pause") nodes.push_back(fault.value("node", 0));
        }
        return nodes;
    };
    {
        auto paused = cluster.fault("pause.node", {{"node", 1}});
        std::cout << "in force: " << paused.description() << "\n";
        if (paused_nodes() != std::vector<int>{1}) {
            std::cerr << "node 1 is not paused while the guard lives\n";
            return 1;
        }
    }
    if (!paused_nodes().empty()) {
        std::cerr << "a node is still paused after the guard went\n";
        return 1;
    }
    try {
        auto never = cluster.fault("pause.node", {{"node", 7}});
        std::cerr << "node 7 of a 3-node cluster was accepted\n";
        return 1;
    } catch (const atomixtest::Error& error) {
        std::cout << "refused: " << error.what() << "\n";
    }
    return 0;
}
