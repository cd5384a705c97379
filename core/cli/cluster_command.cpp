// `atomix-test cluster list` and `atomix-test cluster NAME COMMAND ...`: the
// original tool's cluster management surface.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <optional>
#include <random>
#include <set>

#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"
#include "cli/commands.hpp"
#include "cli/node_table.hpp"
#include "cli/parse.hpp"
#include "profile/profile_loader.hpp"
#include "session/fault_session.hpp"

namespace atomixtest::cli {

namespace {

const char* kClusterUsage =
    "usage: atomix-test cluster list\n"
    "       atomix-test cluster NAME COMMAND [ARGS...]\n\n"
    "commands:\n"
    "  setup [-c|--config PROFILE] [-n|--nodes N] [--backend local|docker|kubernetes]\n"
    "        [--subnet CIDR | --supernet CIDR] [--gateway IP] [--cpu CORES] [--memory SIZE]\n"
    "  teardown\n"
    "  nodes [--json]\n"
    "  add-node [-c|--config PROFILE] | remove-node N\n"
    "  logs N\n"
    "  run N COMMAND... | execute N COMMAND...   (in the node; execute leaves it running)\n"
    "  faults [--json]\n"
    "faults:\n";

int list_clusters(const Args& args) {
    CLI::App app("List the clusters of every backend", "atomix-test cluster list");
    bool json = false;
    app.add_flag("--json", json, "print a JSON list of {name, backend, profile, nodes}");
    if (auto code = parse_args(app, args)) return *code;
    Workspace workspace;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& backend_name : workspace.backend_names()) {
        auto backend = workspace.backend(backend_name);
        std::vector<std::string> names;
        try {
            names = backend->list();
        } catch (const Error&) {
            continue;  // a backend that cannot answer has nothing to list
        }
        for (const auto& name : names) {
            auto info = backend->describe(name);
            list.push_back({{"name", name},
                            {"backend", backend_name},
                            {"profile", info.profile},
                            {"nodes", info.nodes.size()}});
        }
    }
    if (json) {
        std::cout << list.dump(2) << "\n";
    } else {
        for (const auto& entry : list) std::cout << entry["name"].get<std::string>() << "\n";
    }
    return 0;
}

}  // namespace

int cluster_command(const Args& args) {
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        std::cout << kClusterUsage << fault_commands_usage()
                  << "\nRun `atomix-test cluster NAME COMMAND --help` for a command's options.\n";
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "list") return list_clusters(Args(args.begin() + 1, args.end()));
    const std::string& name = args[0];
    validate_cluster_name(name);
    if (args.size() > 1 && is_fault_command(args[1])) {
        return fault_command(name, Args(args.begin() + 1, args.end()));
    }

    CLI::App app("Manage the cluster " + name, "atomix-test cluster " + name);
    app.require_subcommand(1);

    std::string profile = "consensus", backend_name = "local", subnet, supernet, gateway, memory,
                disk;
    double cpus = 0;
    int nodes = 3, node = 0, host = 0;
    auto* setup = app.add_subcommand("setup", "create the cluster and wait until it is ready");
    setup->add_option("-c,--config", profile, "profile of the nodes")->capture_default_str();
    setup->add_option("-n,--nodes", nodes, "number of nodes")->capture_default_str();
    setup->add_option("--backend", backend_name, "where nodes run")->capture_default_str();
    setup->add_option("--subnet", subnet,
                      "the cluster network, a /24 (local default 10.77.0.0/24; docker: a free "
                      "/24 of --supernet)");
    setup->add_option("--supernet", supernet,
                      "docker: a /16 in which to find a free /24 (default 10.89.0.0/16)");
    setup->add_option("--gateway", gateway, "docker: the network's gateway (default .1)");
    setup->add_option("--cpu", cpus, "CPU limit per node, in cores (e.g. 0.5)")
        ->check(kFiniteNumber & CLI::PositiveNumber);
    setup->add_option("--memory", memory, "memory limit per node (e.g. 512m, 1g)");
    setup
        ->add_option("--disk", disk,
                     "lazy: each node's data dir on a FUSE mount that can lose what was never "
                     "fsynced, fail and slow I/O (the disk plugin; default: the profile's)")
        ->check(CLI::IsMember({"lazy"}));
    bool spread_flag = false;
    auto* spread =
        setup->add_flag("--spread", spread_flag,
                        "kubernetes: the nodes spread over the Kubernetes nodes (the default)");
    setup
        ->add_option("--host", host,
                     "kubernetes: every node on the Kubernetes node N (1-based, by name)")
        ->check(CLI::PositiveNumber)
        ->excludes(spread);

    std::string added_profile;
    app.add_subcommand("add-node", "add a node (a server joining the cluster, or a client)")
        ->add_option("-c,--config", added_profile, "profile of the node (default: the cluster's)");
    app.add_subcommand("remove-node", "remove node N")
        ->add_option("N", node, "node id")
        ->required();
    std::vector<std::string> node_command;
    for (const char* verb : {"run", "execute"}) {
        auto* sub = app.add_subcommand(
            verb, std::string(verb) == "run" ? "run a command in node N and print its output"
                                             : "start a command in node N and leave it running");
        sub->add_option("N", node, "node id")->required();
        // Everything after N is the command's, flags included (prefix_command).
        sub->prefix_command();
        sub->footer("COMMAND...   the command and its arguments, as they are");
    }

    app.add_subcommand("teardown", "stop every node and remove everything of the cluster");

    bool json = false;
    auto* nodes_command =
        app.add_subcommand("nodes", "list the nodes: ID NAME STATUS IP LOCAL PORT");
    nodes_command->add_flag("--json", json, "print JSON objects instead of a table");

    app.add_subcommand("logs", "print node N's log")->add_option("N", node, "node id")->required();
    auto* faults = app.add_subcommand("faults", "list the faults in force");
    faults->add_flag("--json", json, "print JSON");

    if (auto code = parse_args(app, Args(args.begin() + 1, args.end()))) return *code;
    std::string command = app.get_subcommands().front()->get_name();

    if (command == "setup") {
        Workspace workspace;
        auto loaded = load_profile_to_start(profile);
        std::cout << name << " Setting up cluster (" << nodes << " " << loaded.name
                  << " nodes, backend " << backend_name << ")" << std::endl;
        auto info =
            workspace.setup_cluster(backend_name,
                                    {.name = name,
                                     .profile = loaded.name,
                                     .nodes = nodes,
                                     .subnet = subnet,
                                     .supernet = supernet,
                                     .gateway = gateway,
                                     .cpus = cpus,
                                     .memory = memory.empty() ? 0 : parse_size(memory, "--memory"),
                                     .disk = disk,
                                     .host = host},
                                    loaded, ClusterKeeper::User);
        std::cout << name << " Cluster ready" << std::endl;
        print_node_table(std::cout, info);
        return 0;
    }
    Workspace workspace;
    if (command == "teardown") {
        auto located = workspace.locate(name);
        std::cout << name << " Tearing down cluster" << std::endl;
        workspace.teardown_cluster(located.info.backend, name);
        std::cout << name << " Cleaning up cluster state" << std::endl;
        return 0;
    }
    if (command == "nodes") {
        auto info = workspace.locate(name).info;
        if (json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& entry : info.nodes) list.push_back(to_json(entry));
            std::cout << list.dump(2) << "\n";
        } else {
            print_node_table(std::cout, info);
        }
        return 0;
    }
    // Node actions go through the door as every caller's do (node.kill...).
    auto door = [&] {
        auto located = workspace.locate(name);
        return std::make_unique<FaultSession>(workspace, located.backend, name, 0);
    };
    if (command == "add-node") {
        auto session = door();
        auto profile_name = added_profile.empty() ? session->cluster().profile : added_profile;
        const auto& added_kind = workspace.profile(profile_name);
        std::cout << name << " Adding a " << to_string(added_kind.type) << " node ("
                  << added_kind.name << ")" << std::endl;
        auto added = session->apply("node.add", {{"profile", profile_name}}).result;
        std::cout << name << " Node " << added.value("id", 0) << " ("
                  << added.value("name", std::string()) << ") ready" << std::endl;
        print_node_table(std::cout, session->cluster());
        return 0;
    }
    if (command == "remove-node") {
        door()->apply("node.remove", {{"node", node}});
        std::cout << name << " Removed node " << node << std::endl;
        return 0;
    }
    if (command == "run" || command == "execute") {
        auto located = workspace.locate(name);
        located.info.node(node);
        node_command = app.get_subcommand(command)->remaining();
        if (node_command.empty()) {
            std::cerr << "error: " << command << " needs a command to run in node " << node << "\n";
            return 2;
        }
        auto result =
            located.backend->execute_in_node(name, node, node_command, command == "execute");
        std::cout << result.out;
        std::cerr << result.err;
        return result.exit_code == 0 ? 0 : 1;
    }
    if (command == "logs") {
        std::cout << workspace.locate(name).backend->logs(name, node);
        return 0;
    }
    if (command == "faults") {
        auto located = workspace.locate(name);
        auto all = FaultSession(workspace, located.backend, name, 0).in_force();
        if (json) {
            std::cout << all.dump(2) << "\n";
        } else {
            print_fault_list(std::cout, all);
        }
        return 0;
    }
    return 2;
}

}  // namespace atomixtest::cli
