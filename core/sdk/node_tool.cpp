#include "atomixtest/node_tool.hpp"

#include <unistd.h>

#include <sstream>

#include "atomixtest/error.hpp"
#include "util/paths.hpp"

namespace atomixtest {

std::string plugin_program(const std::string& name) {
    for (const auto& dir :
         search_path("ATOMIX_TEST_PLUGIN_PATH", "plugins", "lib/atomix-test/plugins")) {
        auto path = dir / name;
        if (access(path.c_str(), X_OK) == 0) return path.string();
    }
    throw Error(ErrorKind::Environment,
                name + " is missing beside the plugins (a partial install?)");
}

std::string node_tool_program() {
    return plugin_program("atomixtest-node-tool");
}

CommandResult run_node_tool(Backend& backend, const std::string& cluster, int node,
                            const std::vector<std::string>& args) {
    std::vector<std::string> argv = {node_tool_program()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto results = backend.run_in_nodes(cluster, {{node, argv, ""}});
    if (results.empty() || results[0].exit_code != 0) {
        throw Error(ErrorKind::Environment,
                    "atomixtest-node-tool " + (args.empty() ? std::string() : args.front()) +
                        " on node " + std::to_string(node) + ": " +
                        (results.empty() ? std::string("not run") : results[0].err));
    }
    return results[0];
}

std::vector<NodeProcess> parse_node_processes(const std::string& out) {
    std::vector<NodeProcess> processes;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        NodeProcess process;
        if (!(fields >> process.pid >> process.group >> process.cpu_ticks)) continue;
        std::getline(fields >> std::ws, process.command);
        processes.push_back(process);
    }
    return processes;
}

}  // namespace atomixtest
