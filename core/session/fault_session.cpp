#include "session/fault_session.hpp"

#include <algorithm>

#include "atomixtest/error.hpp"
#include "profile/profile_loader.hpp"
#include "session/param_check.hpp"

namespace atomixtest {

namespace {

NodeAction node_action_named(const std::string& name) {
    for (auto action : {NodeAction::Kill, NodeAction::Stop, NodeAction::Start, NodeAction::Recover,
                        NodeAction::Restart}) {
        if (name == to_string(action)) return action;
    }
    throw Error(ErrorKind::Internal, "no node action " + name);
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
    auto completed = complete_params(verb.spec, params, info, random_);
    AppliedFault applied{&verb, completed.params, std::nullopt, completed.drawn, nullptr, {}};
    applied.undo = run(verb, applied.params, applied);
    return applied;
}

CompletedParams FaultSession::complete(const VerbSpec& verb, const Params& params) {
    auto info = cluster();
    auto ids = info.node_ids();
    throw_if_invalid(verb, check_params(verb, params, &ids));
    std::lock_guard lock(mutex_);
    return complete_params(verb, params, info, random_);
}

std::optional<Undo> FaultSession::run(const VerbEntry& verb, const Params& params,
                                      AppliedFault& applied) {
    if (verb.owner == VerbOwner::Node) return run_node_verb(verb, params, applied);
    plugins_used_.insert(verb.plugin);
    auto info = cluster();
    FaultContext context{*backend_, info, random_, &applied.notes};
    auto undo = workspace_.fault(verb.plugin)->apply(verb.plugin_verb, params, context);
    if (undo) undo->verb = verb.plugin + "." + undo->verb;
    return undo;
}

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
    int node = static_cast<int>(integer_param(params, "node"));
    if (action == "remove") {
        backend_->remove_node(cluster_, node);
        return std::nullopt;
    }
    backend_->node_action(cluster_, node, node_action_named(action));
    if (action == "kill" && params.value("lose_unfsynced", false)) {
        // Dead first, so that nothing it writes lands after: then its disk
        // loses what it never synced, as a power loss takes it.
        run(workspace_.verb("disk.lose_unfsynced"), {{"node", {node}}}, applied);
    }
    if (action == "kill") return Undo{"node.recover", {{"node", node}}};
    if (action == "stop") return Undo{"node.start", {{"node", node}}};
    return std::nullopt;
}

void FaultSession::undo(const AppliedFault& fault) {
    if (fault.undo) apply_undo(*fault.undo);
}

void FaultSession::apply_undo(const Undo& undo) {
    std::lock_guard lock(mutex_);
    const auto& verb = workspace_.verb(undo.verb);
    if (verb.owner == VerbOwner::Node) {
        // Removed, or already brought back by hand: nothing to undo.
        auto info = cluster();
        auto ids = info.node_ids();
        int node = static_cast<int>(integer_param(undo.params, "node"));
        if (std::find(ids.begin(), ids.end(), node) == ids.end()) return;
        if (info.node(node).status == NodeStatus::Running) return;
    }
    AppliedFault ignored;
    run(verb, undo.params, ignored);
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
