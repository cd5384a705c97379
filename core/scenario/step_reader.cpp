#include "scenario/step_reader.hpp"

#include <algorithm>
#include <tuple>

#include "atomixtest/error.hpp"
#include "session/param_check.hpp"
#include "util/close_matches.hpp"

namespace atomixtest {

StepReader::StepReader(const MarkedDocument& doc, const VerbCatalog& catalog)
    : doc_(doc), catalog_(catalog) {}

void StepReader::set_cluster(const std::string& client, int nodes, bool knows_leader) {
    client_ = client;
    knows_leader_ = knows_leader;
    node_ids_.clear();
    for (int id = 1; id <= nodes; ++id) node_ids_.insert(id);
}

void StepReader::report(const std::string& pointer, const std::string& message, bool about_key) {
    issues_.push_back({about_key ? doc_.key_mark_of(pointer) : doc_.mark_of(pointer),
                       pointer.empty() ? "(top)" : pointer.substr(1), message});
}

void StepReader::check_choice(const std::string& pointer, const std::string& value,
                              const std::vector<std::string>& known, const std::string& what) {
    if (std::find(known.begin(), known.end(), value) != known.end()) return;
    std::string list;
    for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
    report(pointer, "unknown " + what + " '" + value +
                        "' (available: " + (list.empty() ? "none" : list) + ")");
}

void StepReader::throw_if_any() {
    if (issues_.empty()) return;
    std::stable_sort(issues_.begin(), issues_.end(), [](const auto& a, const auto& b) {
        return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
    });
    // The same mistake found twice (by a schema that knows the verb, and by
    // the verb's own check) is said once.
    issues_.erase(std::unique(issues_.begin(), issues_.end(),
                              [](const auto& a, const auto& b) {
                                  return a.mark.line == b.mark.line &&
                                         a.mark.column == b.mark.column && a.field == b.field &&
                                         a.message == b.message;
                              }),
                  issues_.end());
    std::string message;
    for (const auto& issue : issues_) {
        message += (message.empty() ? "" : "\n") + format_mark(issue.mark) + ": " + issue.field +
                   ": " + issue.message;
    }
    throw bad_input(message);
}

std::vector<Step> StepReader::read_steps(const std::string& pointer) {
    std::vector<Step> steps;
    nlohmann::json::json_pointer json_pointer(pointer);
    if (!doc_.value.contains(json_pointer)) return steps;
    const auto& list = doc_.value.at(json_pointer);
    if (!list.is_array()) return steps;
    for (size_t i = 0; i < list.size(); ++i) {
        if (auto step = read_step(list[i], pointer_append(pointer, i))) steps.push_back(*step);
    }
    return steps;
}

std::optional<Step> StepReader::read_step(const nlohmann::json& value, const std::string& pointer) {
    if (!value.is_object()) return std::nullopt;  // the schema has said so
    std::vector<std::string> verbs;
    for (const auto& [key, params] : value.items()) {
        if (key != "during") verbs.push_back(key);
    }
    if (verbs.size() != 1) {
        report(pointer, verbs.empty() ? "a step needs a verb (e.g. map.get, net.isolate)"
                                      : "a step names exactly one verb, found " +
                                            std::to_string(verbs.size()));
        return std::nullopt;
    }
    Step step;
    step.verb = verbs.front();
    step.pointer = pointer_append(pointer, step.verb);
    step.mark = doc_.key_mark_of(step.pointer);
    step.params = value[step.verb].is_null() ? nlohmann::json::object() : value[step.verb];
    resolve(step);
    bool known = !step.entry.name.empty();
    if (known) check_params(step);
    if (known) check_node_down(step);
    auto taken_down = known ? nodes_taken_down(step) : std::vector<int>();
    if (value.contains("during")) {
        if (known && !step.entry.spec.scoped) {
            std::string scoped;
            for (const auto& [name, candidate] : catalog_.verbs) {
                if (candidate.spec.scoped) scoped += (scoped.empty() ? "" : ", ") + name;
            }
            report(pointer_append(pointer, "during"),
                   "step '" + step.verb + "' cannot have during: only faults with an undo can (" +
                       scoped + ")");
        }
        step.during = read_steps(pointer_append(pointer, "during"));
        // The block over, the kill or stop is undone: the nodes are up again.
        for (int id : taken_down) down_.erase(id);
    }
    if (known) count_nodes(step);
    return step;
}

void StepReader::resolve(Step& step) {
    if (const auto* entry = catalog_.find(step.verb, client_)) {
        step.entry = *entry;
        return;
    }
    auto elsewhere = catalog_.clients_offering(step.verb);
    if (!elsewhere.empty()) {
        report(step.pointer,
               "'" + step.verb + "' is not offered by the " +
                   (client_.empty() ? std::string("scenario's") : client_) +
                   " client (the cluster's profile's system); the " + elsewhere.front() +
                   " client has it",
               true);
        return;
    }
    std::string hint;
    for (const auto& match : close_matches(step.verb, catalog_.names(client_))) {
        hint += (hint.empty() ? "" : ", ") + match;
    }
    report(
        step.pointer,
        "unknown step '" + step.verb + "'" + (hint.empty() ? "" : "; did you mean: " + hint + "?"),
        true);
}

void StepReader::check_params(const Step& step) {
    std::vector<int> ids(node_ids_.begin(), node_ids_.end());
    for (const auto& issue : atomixtest::check_params(step.entry.spec, step.params, &ids)) {
        report(step.pointer + issue.pointer, issue.message, issue.about_key);
    }
    if (knows_leader_ || !step.params.is_object()) return;
    // Asking a system that cannot say would fail only once the cluster is up
    // (half a minute for Atomix): refused here instead.
    for (const auto& param : step.entry.spec.params) {
        if (param.type != ParamType::Node && param.type != ParamType::Nodes) continue;
        auto value = step.params.find(param.name);
        if (value == step.params.end() || !value->is_string()) continue;
        if (*value == "leader" || *value == "followers") {
            report(step.pointer + "/" + param.name,
                   "`" + value->get<std::string>() +
                       "` needs the system's leader, and the cluster's profile says nothing of "
                       "how to find it (no `leader:` request; etcd and consensus have one)");
        }
    }
}

namespace {

// The ids a step's `node` names, when they are written as ids (a selector
// such as `random` is resolved only at run time, and checked then).
std::vector<int> named_ids(const Step& step) {
    std::vector<int> ids;
    if (!step.params.is_object() || !step.params.contains("node")) return ids;
    const auto& node = step.params["node"];
    if (node.is_number_integer()) ids.push_back(node.get<int>());
    if (node.is_array()) {
        for (const auto& id : node) {
            if (id.is_number_integer()) ids.push_back(id.get<int>());
        }
    }
    return ids;
}

}  // namespace

void StepReader::check_node_down(const Step& step) {
    if (!step.entry.spec.needs_node_down) return;
    for (int id : named_ids(step)) {
        if (down_.count(id)) continue;
        report(step.pointer + "/node",
               step.verb + " needs node " + std::to_string(id) +
                   " stopped or killed, and it is running at this step (put the step in the "
                   "during: of node.kill or node.stop of node " +
                   std::to_string(id) + ", or after one)");
    }
}

// Which nodes the step stops or kills (their undo brings them back), and
// which it brings back up.
std::vector<int> StepReader::nodes_taken_down(const Step& step) {
    auto ids = named_ids(step);
    if (step.verb == "node.kill" || step.verb == "node.stop") {
        std::vector<int> taken;
        for (int id : ids) {
            if (down_.insert(id).second) taken.push_back(id);
        }
        return taken;
    }
    if (step.verb == "node.recover" || step.verb == "node.start" || step.verb == "node.restart" ||
        step.verb == "node.remove") {
        for (int id : ids) down_.erase(id);
    }
    return {};
}

// What the step does to the ids later steps may name. A node.add takes the
// next id, as the backends give it.
void StepReader::count_nodes(const Step& step) {
    if (step.verb == "node.add") {
        node_ids_.insert(node_ids_.empty() ? 1 : *node_ids_.rbegin() + 1);
    } else if (step.verb == "node.remove" && step.params.is_object() &&
               step.params.contains("node") && step.params["node"].is_number_integer()) {
        node_ids_.erase(step.params["node"].get<int>());
    }
}

}  // namespace atomixtest
