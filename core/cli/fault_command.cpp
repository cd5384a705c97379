// `atomix-test cluster NAME PLUGIN.VERB [N] [--param value ...]`, `cluster
// NAME fault PLUGIN.VERB [name=value ...]`, and the original tool's words for
// the built-in faults (isolate, delay, stress...), as aliases. Every one is
// made from the verb's declaration: its options, their help and defaults,
// their parsing. Nothing here knows a plugin: a plugin of one's own is a
// command the moment it is on the plugin path. Only the verb's own plugin is
// loaded.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "atomixtest/error.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "session/fault_session.hpp"
#include "session/param_check.hpp"

namespace atomixtest::cli {

namespace {

// The original tool's words, and which params their positional words fill.
struct Alias {
    const char* verb;
    std::vector<const char*> positional;
};

const std::map<std::string, Alias>& aliases() {
    static const std::map<std::string, Alias> table = {
        {"isolate", {"net.isolate", {"node"}}},
        {"unisolate", {"net.unisolate", {"node"}}},
        {"partition", {"net.partition", {"local", "remote"}}},
        {"halves", {"net.halves", {}}},
        {"ring", {"net.ring", {}}},
        {"bridge", {"net.bridge", {"node"}}},
        {"random", {"net.random", {}}},
        {"heal", {"net.heal", {"local", "remote"}}},
        {"delay", {"net.delay", {"node"}}},
        {"drop", {"net.drop", {"node"}}},
        {"reorder", {"net.reorder", {"node"}}},
        {"duplicate", {"net.duplicate", {"node"}}},
        {"corrupt", {"net.corrupt", {"node"}}},
        {"rate", {"net.rate", {"node"}}},
        {"restore", {"net.restore", {"node"}}},
        {"stress", {"stress.start", {}}},
        {"destress", {"stress.stop", {}}},
        {"kill", {"node.kill", {"node"}}},
        {"stop", {"node.stop", {"node"}}},
        {"start", {"node.start", {"node"}}},
        {"recover", {"node.recover", {"node"}}},
        {"restart", {"node.restart", {"node"}}},
        {"pause", {"node.pause", {"node"}}},
        {"resume", {"node.resume", {"node"}}},
    };
    return table;
}

std::string option_of(const std::string& param) {
    std::string option = param;
    std::replace(option.begin(), option.end(), '_', '-');
    return "--" + option;
}

// The verb's command: a positional word per `positional` param, an option
// per other param, each with the declaration's help.
struct VerbCommand {
    std::map<std::string, std::string> values;
    std::map<std::string, bool> flags;
    std::set<std::string> positional;
    std::optional<uint64_t> seed;
};

void declare(CLI::App& app, const VerbSpec& spec, const std::vector<std::string>& positional,
             VerbCommand& command) {
    for (const auto& name : positional) {
        auto param = std::find_if(spec.params.begin(), spec.params.end(),
                                  [&](const Param& each) { return each.name == name; });
        if (param == spec.params.end()) continue;
        app.add_option(name, command.values[name], param_help(*param))->required(param->required);
        command.positional.insert(name);
    }
    for (const auto& param : spec.params) {
        if (command.positional.count(param.name)) continue;
        if (param.type == ParamType::Boolean) {
            app.add_flag(option_of(param.name), command.flags[param.name], param_help(param));
        } else {
            app.add_option(option_of(param.name), command.values[param.name], param_help(param))
                ->required(param.required);
        }
    }
    app.add_option("--seed", command.seed,
                   "seed for random choices (a node drawn at random); printed when one is made");
    if (!spec.rules_help.empty()) app.footer(spec.rules_help);
}

// The words the user gave, as the declaration's names and the text typed.
std::vector<std::pair<std::string, std::string>> given_words(CLI::App& app,
                                                             const VerbCommand& command) {
    std::vector<std::pair<std::string, std::string>> words;
    for (const auto& [name, value] : command.values) {
        if (app.count(command.positional.count(name) ? name : option_of(name)) > 0) {
            words.emplace_back(name, value);
        }
    }
    for (const auto& [name, set] : command.flags) {
        if (set) words.emplace_back(name, "true");
    }
    return words;
}

int apply_fault(Workspace& workspace, const std::string& cluster, const VerbEntry& verb,
                const std::vector<std::pair<std::string, std::string>>& words,
                std::optional<uint64_t> seed) {
    auto params = params_from_words(verb.spec, words);
    // The door's check, with the names as they were typed (--latency).
    throw_if_invalid(verb.spec, check_params(verb.spec, params),
                     [](const std::string& param) { return option_of(param); });
    auto located = workspace.locate(cluster);
    uint64_t used = seed ? *seed : std::random_device{}();
    FaultSession faults(workspace, located.backend, cluster, used);
    auto applied = faults.apply(verb, params);
    std::cout << cluster << " " << applied.describe();
    // The seed is said only where it chose something: the same command with
    // --seed makes the same choice.
    if (applied.drawn) std::cout << " (seed " << used << ")";
    // What was seen of its effect; an undo (no undo of its own: clock.reset)
    // is not a fault in force.
    if (!applied.verified.empty()) {
        std::cout << (applied.undo ? " in force" : "") << " (verified: " << applied.verified << ")";
    }
    std::cout << "\n";
    for (const auto& warning : applied.warnings) {
        std::cerr << cluster << " warning: " << warning << "\n";
    }
    return 0;
}

}  // namespace

bool is_fault_command(const std::string& word) {
    return word == "fault" || aliases().count(word) > 0 || word.find('.') != std::string::npos;
}

std::vector<std::string> fault_command_words() {
    std::vector<std::string> words = {"fault"};
    for (const auto& [word, alias] : aliases()) words.push_back(word);
    return words;
}

std::string fault_commands_usage() {
    std::string usage =
        "  PLUGIN.VERB [N] [--PARAM VALUE ...]   any fault or node verb of any plugin (e.g.\n"
        "                                        net.delay 1 --latency 200ms, node.pause 2);\n"
        "                                        `cluster NAME PLUGIN.VERB --help` shows its\n"
        "                                        params, `atomix-test plugins` lists the verbs\n"
        "  fault PLUGIN.VERB [PARAM=VALUE ...]   the same, its params as name=value\n"
        "  aliases, the original tool's words:\n";
    for (const auto& [word, alias] : aliases()) {
        std::string positional;
        for (const char* name : alias.positional) positional += std::string(" [") + name + "]";
        usage += "    " + word + positional + "  = " + alias.verb + "\n";
    }
    return usage;
}

int fault_command(const std::string& cluster, const Args& args) {
    const std::string& command = args.at(0);
    Args rest(args.begin() + 1, args.end());
    std::string verb_name = command;
    std::vector<std::string> positional = {"node"};
    bool name_value_words = false;
    if (command == "fault") {
        if (rest.empty() || rest[0] == "--help" || rest[0] == "-h") {
            std::cout << "usage: atomix-test cluster " << cluster
                      << " fault PLUGIN.VERB [PARAM=VALUE ...]\n";
            return rest.empty() ? 2 : 0;
        }
        verb_name = rest[0];
        rest.erase(rest.begin());
        name_value_words = true;
    } else if (auto alias = aliases().find(command); alias != aliases().end()) {
        verb_name = alias->second.verb;
        positional.assign(alias->second.positional.begin(), alias->second.positional.end());
    }
    Workspace workspace;
    const auto& verb = workspace.verb(verb_name);
    if (verb.owner != VerbOwner::Fault && verb.owner != VerbOwner::Node) {
        throw bad_input(verb_name + " is not a fault or node verb (it is the " +
                        to_string(verb.owner) + "'s)");
    }
    if (name_value_words) {
        std::vector<std::pair<std::string, std::string>> words;
        std::optional<uint64_t> seed;
        for (const auto& word : rest) {
            auto equals = word.find('=');
            if (equals == std::string::npos) {
                throw bad_input("fault " + verb_name + ": '" + word + "' is not PARAM=VALUE");
            }
            auto name = word.substr(0, equals);
            if (name == "seed") {
                seed = std::stoull(word.substr(equals + 1));
                continue;
            }
            words.emplace_back(name, word.substr(equals + 1));
        }
        return apply_fault(workspace, cluster, verb, words, seed);
    }
    CLI::App app(verb.spec.description, "atomix-test cluster " + cluster + " " + command);
    VerbCommand values;
    declare(app, verb.spec, positional, values);
    if (auto code = parse_args(app, rest)) return *code;
    return apply_fault(workspace, cluster, verb, given_words(app, values), values.seed);
}

}  // namespace atomixtest::cli
