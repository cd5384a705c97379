// `atomix-test cluster list` and `atomix-test cluster NAME COMMAND ...`: the
// original tool's cluster management surface.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <optional>
#include <random>

#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"
#include "cli/commands.hpp"
#include "cli/node_table.hpp"
#include "cli/parse.hpp"
#include "engine/workspace.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest::cli {

namespace {

const char* kClusterUsage =
    "usage: atomix-test cluster list\n"
    "       atomix-test cluster NAME COMMAND [ARGS...]\n\n"
    "commands:\n"
    "  setup [-c|--config PROFILE] [-n|--nodes N] [--backend local|docker]\n"
    "        [--subnet CIDR | --supernet CIDR] [--gateway IP] [--cpu CORES] [--memory SIZE]\n"
    "  teardown\n"
    "  nodes [--json]\n"
    "  add-node [-c|--config PROFILE] | remove-node N\n"
    "  kill|stop|start|recover|restart N\n"
    "  logs N\n"
    "  run N COMMAND... | execute N COMMAND...   (in the node; execute leaves it running)\n"
    "  isolate [N] | unisolate N      (no N: a random node)\n"
    "  stress [--node N] [--cpu N] [--io N] [--memory N] [--hdd N] [--timeout 4s]\n"
    "  destress [--node N]\n"
    "  partition A [B] [--uni]\n"
    "  halves | bridge [N] | random\n"
    "  delay [N] [--latency 50ms] [--jitter 10ms] [--correlation .75] [--distribution normal]\n"
    "  drop|reorder|duplicate|corrupt [N] [--probability P] [--correlation C]\n"
    "  restore [N]                    (no N: every node)\n"
    "  heal [A [B]]\n"
    "  faults [--json]\n\n"
    "Run `atomix-test cluster NAME COMMAND --help` for a command's options.\n";

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

struct FaultCall {
    std::string plugin;
    std::string verb;
    Params params;
};

// Random choices (a node left out) come from the seed, printed so that the
// same command with --seed makes the same choice.
int apply_fault(const std::string& cluster, const FaultCall& call, std::optional<uint64_t> seed) {
    Workspace workspace;
    auto located = workspace.locate(cluster);
    uint64_t used = seed ? *seed : std::random_device{}();
    std::mt19937_64 random{used};
    FaultContext context{*located.backend, located.info, random};
    workspace.fault(call.plugin)->apply(call.verb, call.params, context);
    std::cout << cluster << " " << call.verb << " " << call.params.dump() << " (seed " << used
              << ")\n";
    return 0;
}

}  // namespace

int cluster_command(const Args& args) {
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        std::cout << kClusterUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "list") return list_clusters(Args(args.begin() + 1, args.end()));
    const std::string& name = args[0];
    validate_cluster_name(name);

    CLI::App app("Manage the cluster " + name, "atomix-test cluster " + name);
    app.require_subcommand(1);

    std::string profile = "consensus", backend_name = "local", subnet, supernet, gateway, memory;
    double cpus = 0;
    int nodes = 3, node = 0;
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

    std::map<std::string, NodeAction> actions = {{"kill", NodeAction::Kill},
                                                 {"stop", NodeAction::Stop},
                                                 {"start", NodeAction::Start},
                                                 {"recover", NodeAction::Recover},
                                                 {"restart", NodeAction::Restart}};
    for (const auto& [verb, action] : actions) {
        app.add_subcommand(verb, verb + " node N")->add_option("N", node, "node id")->required();
    }
    app.add_subcommand("logs", "print node N's log")->add_option("N", node, "node id")->required();
    std::optional<uint64_t> seed;
    app.add_option("--seed", seed, "seed for random choices (a fault without a node)");
    app.fallthrough();  // --seed after the command, as people write it
    auto* isolate = app.add_subcommand("isolate", "partition node N (or a random node) from all");
    isolate->add_option("N", node, "node id (absent: a random node)");
    app.add_subcommand("halves", "split the cluster in two halves (both ways)");
    auto* bridge = app.add_subcommand(
        "bridge", "two halves that cannot talk and node N (or a random node) that sees both");
    bridge->add_option("N", node, "the bridge node (absent: a random node)");
    app.add_subcommand("random", "isolate a random node");

    // netem: options left out keep the plugin's defaults (the original tool's).
    std::map<std::string, std::string> netem_options;
    auto netem = [&](const std::string& verb, const std::string& description,
                     const std::vector<std::pair<std::string, std::string>>& options) {
        auto* command = app.add_subcommand(verb, description);
        command->add_option("N", node, "node id (absent: every node)");
        for (const auto& [option, help] : options) {
            command->add_option("--" + option, netem_options[option], help);
        }
    };
    netem("delay", "delay the packets node N sends (every node's if absent)",
          {{"latency", "added delay, ms unless a unit is given (default 50)"},
           {"jitter", "spread of the delay (default 10)"},
           {"correlation", "0..1 (default .75)"},
           {"distribution", "normal, pareto, paretonormal or uniform"}});
    for (const auto& [verb, description] : std::vector<std::pair<std::string, std::string>>{
             {"drop", "drop a share of the packets node N sends"},
             {"reorder", "send a share of node N's packets ahead of the delayed ones"},
             {"duplicate", "send a share of node N's packets twice"},
             {"corrupt", "flip a bit in a share of node N's packets"}}) {
        netem(verb, description, {{"probability", "per packet, 0..1"}, {"correlation", "0..1"}});
    }
    app.add_subcommand("restore", "remove netem faults from node N (every node if absent)")
        ->add_option("N", node, "node id");
    app.add_subcommand("unisolate", "reconnect node N")
        ->add_option("N", node, "node id")
        ->required();

    int local = 0, remote = 0;
    bool uni = false;
    auto* partition = app.add_subcommand("partition", "partition node A from node B (or from all)");
    partition->add_option("A", local, "node id")->required();
    partition->add_option("B", remote, "node id (absent: every other node)");
    partition->add_flag("--uni", uni, "one direction only: drop A's packets to B");
    auto* heal = app.add_subcommand("heal", "heal partitions: all, all of A's, or A-B");
    heal->add_option("A", local, "node id");
    heal->add_option("B", remote, "node id");
    // stress: options left out are not sent (0 workers of that kind).
    std::map<std::string, int> workers;
    std::string stress_timeout, memory_bytes;
    auto* stress =
        app.add_subcommand("stress", "load node N (every node if absent) with stress-ng");
    stress->add_option("--node", node, "node id (absent: every node)");
    for (const auto& [kind, help] : std::vector<std::pair<std::string, std::string>>{
             {"cpu", "workers spinning on sqrt"},
             {"io", "workers calling sync"},
             {"memory", "workers on malloc/free"},
             {"hdd", "workers writing files on the node's disk"}}) {
        stress->add_option("--" + kind, workers[kind], help);
    }
    stress->add_option("--timeout", stress_timeout, "the stressors end by themselves (e.g. 4s)");
    stress->add_option("--memory-bytes", memory_bytes,
                       "memory the memory workers share (default: half the node's limit)");
    app.add_subcommand("destress", "end the stress of node N (every node if absent)")
        ->add_option("--node", node, "node id (absent: every node)");
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
                                     .memory = memory.empty() ? 0 : parse_size(memory, "--memory")},
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
    if (auto action = actions.find(command); action != actions.end()) {
        auto located = workspace.locate(name);
        located.info.node(node);
        located.backend->node_action(name, node, action->second);
        std::cout << name << " " << command << " node " << node << std::endl;
        return 0;
    }
    if (command == "add-node") {
        auto located = workspace.locate(name);
        auto loaded =
            load_profile_to_start(added_profile.empty() ? located.info.profile : added_profile);
        std::cout << name << " Adding a " << to_string(loaded.type) << " node (" << loaded.name
                  << ")" << std::endl;
        auto added = located.backend->add_node(name, loaded);
        std::cout << name << " Node " << added.id << " (" << added.name << ") ready" << std::endl;
        print_node_table(std::cout, located.backend->describe(name));
        return 0;
    }
    if (command == "remove-node") {
        auto located = workspace.locate(name);
        located.info.node(node);
        located.backend->remove_node(name, node);
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
    if (command == "unisolate") return apply_fault(name, {"net", command, {{"node", node}}}, seed);
    if (command == "isolate" || command == "bridge") {
        Params params = nlohmann::json::object();
        if (app.get_subcommand(command)->count("N")) params["node"] = node;
        return apply_fault(name, {"net", command, params}, seed);
    }
    if (command == "delay" || command == "drop" || command == "reorder" || command == "duplicate" ||
        command == "corrupt" || command == "restore") {
        Params params = nlohmann::json::object();
        auto* sub = app.get_subcommand(command);
        if (sub->count("N")) params["node"] = node;
        for (const auto& [option, value] : netem_options) {
            if (!sub->get_option_no_throw("--" + option) || !sub->count("--" + option)) continue;
            // Numbers stay numbers; durations and names stay text.
            bool duration = option == "latency" || option == "jitter";
            params[option] = value;
            try {
                size_t used = 0;
                double number = std::stod(value, &used);
                // "nan" and "inf" stay text: the plugin refuses them by name.
                if (!duration && used == value.size() && std::isfinite(number)) {
                    params[option] = number;  // ".1" too
                }
            } catch (const std::exception&) {
                // not a number: the plugin says what it expected
            }
        }
        return apply_fault(name, {"net", command, params}, seed);
    }
    if (command == "halves" || command == "random") {
        return apply_fault(name, {"net", command, nlohmann::json::object()}, seed);
    }
    if (command == "partition") {
        Params params = {{"local", local}};
        if (partition->count("B")) params["remote"] = remote;
        if (uni) params["uni"] = true;
        return apply_fault(name, {"net", "partition", params}, seed);
    }
    if (command == "heal") {
        Params params = nlohmann::json::object();
        if (heal->count("A")) params["local"] = local;
        if (heal->count("B")) params["remote"] = remote;
        return apply_fault(name, {"net", "heal", params}, seed);
    }
    if (command == "stress" || command == "destress") {
        auto* sub = app.get_subcommand(command);
        Params params = nlohmann::json::object();
        if (sub->count("--node")) params["node"] = node;
        if (command == "destress") return apply_fault(name, {"stress", "stop", params}, seed);
        for (const auto& [kind, count] : workers) {
            if (sub->count("--" + kind)) params[kind] = count;
        }
        if (sub->count("--timeout")) params["timeout"] = stress_timeout;
        if (sub->count("--memory-bytes")) params["memory_bytes"] = memory_bytes;
        return apply_fault(name, {"stress", "start", params}, seed);
    }
    if (command == "faults") {
        auto located = workspace.locate(name);
        std::mt19937_64 random{0};
        FaultContext context{*located.backend, located.info, random};
        nlohmann::json all = nlohmann::json::array();
        for (const auto& plugin : workspace.fault_names()) {
            for (auto fault : workspace.fault(plugin)->in_force(context)) {
                fault["plugin"] = plugin;
                all.push_back(fault);
            }
        }
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
