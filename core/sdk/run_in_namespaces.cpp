#include "atomixtest/backend.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"

namespace atomixtest {

std::vector<CommandResult> run_in_namespaces(const std::vector<NodeCommand>& commands,
                                             const std::function<std::string(int node)>& netns_of) {
    std::vector<ProcessSpec> specs;
    for (const auto& command : commands) {
        // A plugin acts in-process on nodes it can enter: these are the
        // agent's, never meant for here.
        if (command.detached || command.in_node_cgroup || command.beside_node) {
            throw bad_input(
                "a detached, in-cgroup or beside-node command is for nodes reached "
                "through an agent; this backend's plugins act in-process");
        }
        specs.push_back({.argv = command.argv,
                         .input = command.input,
                         .netns = netns_of(command.node),
                         .timeout = std::chrono::seconds(30)});
    }
    auto results = run_processes(specs);
    std::vector<CommandResult> out;
    for (size_t i = 0; i < results.size(); ++i) {
        out.push_back({commands[i].node, results[i].exit_code, results[i].out, results[i].err});
    }
    return out;
}

}  // namespace atomixtest
