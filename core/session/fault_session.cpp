#include "session/fault_session.hpp"

#include <algorithm>
#include <map>

#include "atomixtest/error.hpp"
#include "profile/profile_loader.hpp"
#include "session/leader_oracle.hpp"
#include "session/param_check.hpp"

namespace atomixtest {

namespace {

NodeAction node_action_named(const std::string& name) {
    for (auto action : {NodeAction::Kill, NodeAction::Stop, NodeAction::Start, NodeAction::Recover,
                        NodeAction::Restart, NodeAction::Pause, NodeAction::Resume}) {
        if (name == to_string(action)) return action;
    }
    throw Error(ErrorKind::Internal, "no node action " + name);
}

// A node verb's `node`: one id (node.remove) or the list the door resolved.
std::vector<int> node_ids_of(const Params& params) {
    std::vector<int> ids;
    const auto& value = params.at("node");
    for (const auto& id : value.is_array() ? value : nlohmann::json::array({value})) {
        ids.push_back(id.get<int>());
    }
    return ids;
}

// The action that undoes a node fault, and the state a node is in while the
// fault holds (a node in any other state was brought back by hand).
struct NodeUndo {
    const char* verb;
    NodeStatus faulted;
};
const std::map<std::string, NodeUndo>& node_undos() {
    static const std::map<std::string, NodeUndo> undos = {
        {"kill", {"node.recover", NodeStatus::Dead}},
        {"stop", {"node.start", NodeStatus::Stopped}},
        {"pause", {"node.resume", NodeStatus::Paused}},
    };
    return undos;
}

}  // namespace

std::string AppliedFault::describe() const {
    return (entry ? entry->name : std::string("?")) + " " + params.dump();
}

FaultSession::FaultSession(Workspace& workspace, std::shared_ptr<Backend> backend,
                           std::string cluster, uint64_t seed)
    : workspace_(workspace),
      backend_(std::move(backend)),
      cluster_(std::move(cluster)),
      seed_(seed),
      random_(seed) {}

AppliedFault FaultSession::apply(const std::string& verb, const Params& params) {
    return apply(workspace_.verb(verb), params);
}

AppliedFault FaultSession::apply(const VerbEntry& verb, const Params& params) {
    if (verb.owner != VerbOwner::Fault && verb.owner != VerbOwner::Node) {
        throw bad_input(verb.name + " is not a fault or a node action");
    }
    auto info = cluster();
    auto ids = info.node_ids();
    throw_if_invalid(verb.spec, check_params(verb.spec, params, &ids));
    std::lock_guard lock(mutex_);
    auto completed = complete_params(verb.spec, params, info, random_, leader_oracle(info));
    AppliedFault applied{&verb, completed.params, std::nullopt, completed.drawn, nullptr, {}};
    applied.undo = run(verb, applied.params, applied);
    return applied;
}

LeaderOracle FaultSession::leader_oracle(const ClusterInfo& info) {
    return [this, info] { return ask_leader(workspace_.profile(info.profile), info); };
}

CompletedParams FaultSession::complete(const VerbSpec& verb, const Params& params) {
    auto info = cluster();
    auto ids = info.node_ids();
    throw_if_invalid(verb, check_params(verb, params, &ids));
    std::lock_guard lock(mutex_);
    return complete_params(verb, params, info, random_, leader_oracle(info));
}

std::optional<Undo> FaultSession::run(const VerbEntry& verb, const Params& params,
                                      AppliedFault& applied) {
    if (verb.owner == VerbOwner::Node) return run_node_verb(verb, params, applied);
    plugins_used_.insert(verb.plugin);
    auto info = cluster();
    FaultContext context{*backend_, info, random_};
    auto undo = workspace_.fault(verb.plugin)->apply(verb.plugin_verb, params, context);
    for (const auto& effect : context.effects) {
        applied.verified += (applied.verified.empty() ? "" : "; ") + effect;
    }
    for (auto& warning : context.warnings) applied.warnings.push_back(std::move(warning));
    if (undo) undo->verb = verb.plugin + "." + undo->verb;
    return undo;
}

// Each node in turn; when one fails, those done already are undone, so that a
// fault is on all of its nodes or on none.
std::optional<Undo> FaultSession::run_node_verb(const VerbEntry& verb, const Params& params,
                                                AppliedFault& applied) {
    auto action = verb.name.substr(verb.name.find('.') + 1);
    if (action == "add") {
        auto profile = params.contains("profile") ? params.at("profile").get<std::string>()
                                                  : cluster().profile;
        auto added = backend_->add_node(cluster_, load_profile_to_start(profile));
        applied.result = to_json(added);
        return std::nullopt;
    }
    auto ids = node_ids_of(params);
    if (action == "remove") {
        backend_->remove_node(cluster_, ids.at(0));
        return std::nullopt;
    }
    bool lose_unfsynced = action == "kill" && params.value("lose_unfsynced", false);
    if (lose_unfsynced && cluster().disk != "lazy") {
        throw bad_input("node.kill lose_unfsynced needs the nodes' data dirs on lazy disks, and " +
                        cluster_ +
                        "'s are plain directories (set it up with --disk lazy, or a "
                        "profile that says disk: {lazy: true})");
    }
    auto undo = node_undos().find(action);
    std::vector<int> done;
    std::string verified;
    for (int id : ids) {
        try {
            auto checked = backend_->node_action(cluster_, id, node_action_named(action));
            if (!checked.empty()) {
                verified += (verified.empty() ? "" : "; ") + std::string("node ") +
                            std::to_string(id) + ": " + checked;
            }
        } catch (...) {
            if (undo != node_undos().end() && !done.empty()) {
                try {
                    apply_undo({undo->second.verb, {{"node", done}}});
                } catch (const std::exception&) {
                    // the first error is the one to report; clear() retries
                }
            }
            throw;
        }
        done.push_back(id);
    }
    applied.verified = verified;
    if (lose_unfsynced) {
        // All dead first, so that nothing they write lands after: then their
        // disks lose what they never synced, as a power loss takes it.
        run(workspace_.verb("disk.lose_unfsynced"), {{"node", ids}}, applied);
    }
    if (undo == node_undos().end()) return std::nullopt;
    return Undo{undo->second.verb, {{"node", ids}}};
}

void FaultSession::undo(const AppliedFault& fault) {
    if (fault.undo) apply_undo(*fault.undo);
}

// A node that was removed, or brought back by hand, has nothing to undo.
void FaultSession::apply_undo(const Undo& undo) {
    std::lock_guard lock(mutex_);
    const auto& verb = workspace_.verb(undo.verb);
    Params params = undo.params;
    if (verb.owner == VerbOwner::Node) {
        auto info = cluster();
        auto ids = info.node_ids();
        NodeStatus faulted = NodeStatus::Dead;
        for (const auto& [action, each] : node_undos()) {
            if (undo.verb == each.verb) faulted = each.faulted;
        }
        std::vector<int> still;
        for (int id : node_ids_of(undo.params)) {
            bool present = std::find(ids.begin(), ids.end(), id) != ids.end();
            if (!present) continue;
            // recover brings back a node however it went down.
            auto status = info.node(id).status;
            bool down = status == NodeStatus::Dead || status == NodeStatus::Stopped;
            if (status == faulted || (undo.verb == "node.recover" && down)) {
                still.push_back(id);
            }
        }
        if (still.empty()) return;
        params["node"] = still;
    }
    AppliedFault ignored;
    run(verb, params, ignored);
}

nlohmann::json FaultSession::in_force() {
    std::lock_guard lock(mutex_);
    auto info = cluster();
    FaultContext context{*backend_, info, random_};
    nlohmann::json all = nlohmann::json::array();
    for (const auto& plugin : workspace_.fault_names()) {
        for (auto fault : workspace_.fault(plugin)->in_force(context)) {
            fault["plugin"] = plugin;
            all.push_back(fault);
        }
    }
    return all;
}

void FaultSession::clear(bool every) {
    std::lock_guard lock(mutex_);
    auto info = cluster();
    FaultContext context{*backend_, info, random_};
    std::set<std::string> plugins = plugins_used_;
    if (every) {
        auto names = workspace_.fault_names();
        plugins.insert(names.begin(), names.end());
    }
    std::string failures;
    for (const auto& plugin : plugins) {
        try {
            workspace_.fault(plugin)->clear(context);
        } catch (const std::exception& error) {
            failures += (failures.empty() ? "" : "; ") + plugin + ": " + error.what();
        }
    }
    if (!failures.empty()) throw Error(ErrorKind::Internal, "clearing faults: " + failures);
}

}  // namespace atomixtest
