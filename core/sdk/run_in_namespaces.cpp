#include "atomixtest/backend.hpp"
#include "atomixtest/process.hpp"

namespace atomixtest {

std::vector<CommandResult> run_in_namespaces(const std::vector<NodeCommand>& commands,
                                             const std::function<std::string(int node)>& netns_of) {
    std::vector<ProcessSpec> specs;
    for (const auto& command : commands) {
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
