// `atomix-test __complete INDEX WORD...`: the candidates for the word at
// INDEX of the command line (the words after `atomix-test`), one a line, for
// the scripts `atomix-test completion bash|zsh` prints. Commands and options
// come from the commands' own CLI11 apps (outline.hpp), verbs and their
// params from the plugins' declarations, profiles and clusters from what
// exists now. No candidate: the shell completes file names.
#include <iostream>
#include <set>

#include "atomixtest/check.hpp"
#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/outline.hpp"
#include "profile/profile_loader.hpp"
#include "scenario/entropy_function.hpp"
#include "session/workspace.hpp"

namespace atomixtest::cli {

namespace {

const OptionOutline* option_named(const CommandOutline& outline, const std::string& word) {
    for (const auto& option : outline.options) {
        for (const auto& name : option.names) {
            if (!option.positional && name == word) return &option;
        }
    }
    return nullptr;
}

std::vector<std::string> cluster_names(Workspace& workspace) {
    std::vector<std::string> names;
    for (const auto& backend_name : workspace.backend_names()) {
        try {
            for (const auto& name : workspace.backend(backend_name)->list()) names.push_back(name);
        } catch (const std::exception&) {
            // a backend that cannot answer (no engine) has no clusters to offer
        }
    }
    return names;
}

std::vector<std::string> model_names() {
    std::vector<std::string> names;
    for (auto model :
         {Model::Register, Model::CasRegister, Model::Kv, Model::Counter, Model::Set}) {
        names.emplace_back(to_string(model));
    }
    names.insert(names.end(), {"list-append", "rw-register"});
    return names;
}

// The values an option takes, where they are a known set.
std::vector<std::string> option_values(const OptionOutline& option, Workspace& workspace) {
    auto named = [&](const char* name) {
        return std::find(option.names.begin(), option.names.end(), name) != option.names.end();
    };
    if (named("--config") || named("--profile")) return available_profiles();
    if (named("--backend")) return workspace.backend_names();
    if (named("--model")) return model_names();
    return {};
}

// The fault and node verbs, and the original tool's words for them.
std::vector<std::string> fault_words(Workspace& workspace) {
    std::vector<std::string> words = fault_command_words();
    for (const auto& [name, entry] : workspace.catalog().verbs) {
        if (entry.owner == VerbOwner::Fault || entry.owner == VerbOwner::Node)
            words.push_back(name);
    }
    return words;
}

// Candidates from an outline: an option's values after it, its options for a
// word that begins with '-', else its subcommands (and `extra`).
std::vector<std::string> from_outline(const CommandOutline& outline, const std::string& previous,
                                      const std::string& current, Workspace& workspace,
                                      const std::vector<std::string>& extra = {}) {
    if (const auto* option = option_named(outline, previous); option && option->takes_value) {
        return option_values(*option, workspace);
    }
    std::vector<std::string> candidates;
    if (!current.empty() && current[0] == '-') {
        for (const auto& option : outline.options) {
            if (option.positional) continue;
            for (const auto& name : option.names) {
                if (name.rfind("--", 0) == 0 || option.names.size() == 1)
                    candidates.push_back(name);
            }
        }
        candidates.push_back("--help");
        return candidates;
    }
    for (const auto& sub : outline.subcommands) candidates.push_back(sub.name);
    candidates.insert(candidates.end(), extra.begin(), extra.end());
    return candidates;
}

std::vector<std::string> cluster_candidates(const Args& words, size_t index, Workspace& workspace) {
    const std::string& current = words[index];
    const std::string previous = index > 0 ? words[index - 1] : "";
    if (index == 0) {
        auto names = cluster_names(workspace);
        names.insert(names.begin(), "list");
        return names;
    }
    if (words[0] == "list") {
        return from_outline(outline_of_command(cluster_command, {"list"}), previous, current,
                            workspace);
    }
    // A name that passes the cluster's checks, for the outline only.
    auto cluster = outline_of_command(cluster_command, {"completion"});
    if (index == 1) return from_outline(cluster, "", current, workspace, fault_words(workspace));
    const std::string& command = words[1];
    if (command == "fault") {
        if (index == 2) {
            std::vector<std::string> names;
            for (const auto& verb : fault_words(workspace)) {
                if (verb.find('.') != std::string::npos) names.push_back(verb);
            }
            return names;
        }
        // PARAM=VALUE words: the verb's params.
        std::vector<std::string> params;
        try {
            for (const auto& param : workspace.verb(words[2]).spec.params) {
                params.push_back(param.name + "=");
            }
        } catch (const std::exception&) {
        }
        return params;
    }
    if (is_fault_command(command)) {
        auto verb = outline_of_command(
            [](const Args& args) { return fault_command("completion", args); }, {command});
        return from_outline(verb, previous, current, workspace);
    }
    for (const auto& sub : cluster.subcommands) {
        if (sub.name == command) return from_outline(sub, previous, current, workspace);
    }
    return {};
}

}  // namespace

int complete_command(const Args& args) {
    if (args.empty()) return 2;
    size_t index = 0;
    try {
        index = std::stoul(args[0]);
    } catch (const std::exception&) {
        return 2;
    }
    Args words(args.begin() + 1, args.end());
    if (index >= words.size()) words.resize(index + 1);
    const std::string current = words[index];

    // Options before the command.
    size_t at = 0;
    while (at < index && words[at] == "--profiles") {
        if (at + 1 < words.size()) add_profile_directory(words[at + 1]);
        at += 2;
    }
    std::vector<std::string> candidates;
    Workspace workspace;
    if (at == index) {
        if (index > 0 && words[index - 1] == "--profiles") return 0;  // a directory
        for (const auto& entry : commands()) {
            if (!entry.hidden) candidates.emplace_back(entry.name);
        }
        candidates.emplace_back("--profiles");
        candidates.emplace_back("--help");
    } else if (const auto* entry = find_command(words[at])) {
        Args rest(words.begin() + static_cast<long>(at) + 1, words.end());
        size_t position = index - at - 1;
        if (std::string(entry->name) == "cluster") {
            candidates = cluster_candidates(rest, position, workspace);
        } else {
            auto outline = outline_of_command(entry->run, {});
            std::vector<std::string> extra;
            if (std::string(entry->name) == "entropy") extra = entropy_function_names();
            if (std::string(entry->name) == "completion") extra = {"bash", "zsh"};
            candidates = from_outline(outline, position > 0 ? rest[position - 1] : "", current,
                                      workspace, extra);
        }
    }
    std::set<std::string> seen;
    for (const auto& candidate : candidates) {
        if (candidate.rfind(current, 0) == 0 && seen.insert(candidate).second) {
            std::cout << candidate << "\n";
        }
    }
    return 0;
}

}  // namespace atomixtest::cli
