#include "atomixtest/node_tool.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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

int machine_process() {
    auto mounts_of = [](int pid) {
        std::error_code error;
        auto link =
            std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/mnt", error);
        return error ? std::string() : link.string();
    };
    auto parent_of = [](int pid) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto after = text.rfind(')');  // the command may hold spaces and parentheses
        std::istringstream fields(after == std::string::npos ? "" : text.substr(after + 2));
        std::string state;
        int parent = 0;
        fields >> state >> parent;
        return parent;
    };
    auto own = mounts_of(getpid());
    for (int pid = parent_of(getpid()); pid > 0; pid = parent_of(pid)) {
        auto theirs = mounts_of(pid);
        if (!theirs.empty() && theirs != own) return pid;
    }
    return 0;
}

}  // namespace atomixtest
