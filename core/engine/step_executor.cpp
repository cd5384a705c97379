#include "engine/step_executor.hpp"

#include <chrono>
#include <thread>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "engine/step_catalog.hpp"
#include "history/client_history.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest {

namespace {

NodeAction node_action_named(const std::string& name) {
    for (auto action : {NodeAction::Kill, NodeAction::Stop, NodeAction::Start, NodeAction::Recover,
                        NodeAction::Restart}) {
        if (name == to_string(action)) return action;
    }
    throw not_found("unknown node action " + name);
}

void sleep_interruptibly(Duration duration) {
    auto until = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < until) {
        throw_if_interrupted("sleep");
        std::this_thread::sleep_for(std::min<Duration>(until - std::chrono::steady_clock::now(),
                                                       std::chrono::milliseconds(50)));
    }
}

std::string where(const Step& step) {
    return format_mark(step.mark) + ": step '" + step.verb + "'";
}

}  // namespace

StepExecutor::StepExecutor(Workspace& workspace, std::shared_ptr<Backend> backend,
                           std::string cluster, uint64_t seed, std::ostream& log,
                           HistoryRecorder& history)
    : workspace_(workspace),
      backend_(std::move(backend)),
      cluster_(std::move(cluster)),
      random_(seed),
      log_(log),
      history_(history) {}

ClusterInfo StepExecutor::cluster_info() {
    return backend_->describe(cluster_);
}

void StepExecutor::run(const Step& step) {
    if (interrupt_requested()) {
        throw Error(ErrorKind::Internal, "interrupted before " + where(step));
    }
    auto started = std::chrono::steady_clock::now();
    try {
        auto dot = step.verb.find('.');
        std::string family = dot == std::string::npos ? step.verb : step.verb.substr(0, dot);
        auto faults = workspace_.fault_names();
        if (step.verb == "linearizable") {
            check_linearizable(step);
        } else if (step.verb == "availability") {
            check_availability(step);
        } else if (step.verb == "sleep") {
            sleep_interruptibly(parse_duration(step.params.at("duration").get<std::string>()));
        } else if (family == "node") {
            record_fault("start", step.verb, step.params);
            run_node_action(step);
        } else if (std::find(faults.begin(), faults.end(), family) != faults.end()) {
            record_fault("start", step.verb, step.params);
            auto undo_fault = run_fault(family, step);
            if (!step.during.empty()) {
                log_step(step, started, "in force");
                run_during(family, step, undo_fault);
                return;
            }
        } else {
            run_client(step);
        }
    } catch (const Error& error) {
        std::string message = error.what();
        // Nested steps already carry their own position.
        if (message.rfind(step.mark.file + ":", 0) == 0) throw;
        throw Error(error.kind(), where(step) + ": " + message);
    }
    log_step(step, started, "ok");
}

void StepExecutor::log_step(const Step& step, std::chrono::steady_clock::time_point started,
                            const char* outcome) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    log_ << std::string(2 + 2 * depth_, ' ') << outcome << "  " << step.verb << " "
         << step.params.dump() << " (" << elapsed.count() << " ms)\n";
}

// The fault stays in force while its sub-steps run and is undone whatever they
// do; when a sub-step fails, its error is the one reported, not the undo's.
void StepExecutor::run_during(const std::string& plugin, const Step& step,
                              const std::optional<Undo>& undo_fault) {
    ++depth_;
    try {
        for (const auto& sub : step.during) run(sub);
    } catch (...) {
        --depth_;
        if (undo_fault) {
            try {
                undo(plugin, *undo_fault);
            } catch (const Error& undo_error) {
                log_ << "  undo of " << step.verb << " failed: " << undo_error.what()
                     << " (cleared at the end of the scenario)\n";
            }
        }
        throw;
    }
    --depth_;
    if (undo_fault) undo(plugin, *undo_fault);
}

void StepExecutor::run_node_action(const Step& step) {
    if (step.verb == "node.add") {
        auto profile = step.params.value("profile", cluster_info().profile);
        auto added = backend_->add_node(cluster_, load_profile_to_start(profile));
        log_ << std::string(2 + 2 * depth_, ' ') << "added node " << added.id << " (" << added.name
             << ", " << profile << ")\n";
        return;
    }
    if (step.verb == "node.remove") {
        backend_->remove_node(cluster_, step.params.at("node").get<int>());
        return;
    }
    auto action = node_action_named(step.verb.substr(step.verb.find('.') + 1));
    backend_->node_action(cluster_, step.params.at("node").get<int>(), action);
}

std::optional<Undo> StepExecutor::run_fault(const std::string& plugin, const Step& step) {
    faults_used_.insert(plugin);
    auto info = cluster_info();
    FaultContext context{*backend_, info, random_};
    // A plugin's bare name is its `start` (a `stress:` step is stress.start).
    auto verb = step.verb == plugin ? std::string("start") : step.verb.substr(plugin.size() + 1);
    return workspace_.fault(plugin)->apply(verb, step.params, context);
}

void StepExecutor::undo(const std::string& plugin, const Undo& undo_fault) {
    auto info = cluster_info();
    FaultContext context{*backend_, info, random_};
    workspace_.fault(plugin)->apply(undo_fault.verb, undo_fault.params, context);
    record_fault("stop", plugin + "." + undo_fault.verb, undo_fault.params);
    log_ << std::string(2 + 2 * depth_, ' ') << "undo  " << plugin << "." << undo_fault.verb
         << "\n";
}

void StepExecutor::run_client(const Step& step) {
    auto info = cluster_info();
    int node_id = step.params.value("node", 1);
    const auto& node = info.node(node_id);
    Endpoint endpoint;
    endpoint.port = node.local_port;
    endpoint.options =
        load_profile(node.profile.empty() ? info.profile : node.profile).client_options;
    if (step.params.contains("timeout")) {
        endpoint.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(step.params.at("timeout").get<std::string>()));
    }
    Params params = step.params;
    for (const char* owned : kClientStepParams) params.erase(owned);
    bool must_fail = step.params.value("fails", false);
    auto op = client_operation(step.verb, params);
    auto process = process_;
    auto record = [&](EventType type, nlohmann::json value) {
        auto event = history_.record({process, type, op.f, op.key, std::move(value)});
        if (op.model) by_model_[*op.model].push_back(std::move(event));
    };
    record(EventType::Invoke, op.value);
    nlohmann::json result;
    try {
        result = workspace_.client_for(info)->invoke(step.verb, params, endpoint);
    } catch (const Error& error) {
        // Unavailable: certainly not applied; a timeout or anything else: unknown.
        bool certain = error.kind() == ErrorKind::Unavailable ||
                       error.kind() == ErrorKind::BadInput || error.kind() == ErrorKind::NotFound;
        record(certain ? EventType::Fail : EventType::Info, op.value);
        if (!certain) ++process_;
        bool operation_failed =
            error.kind() == ErrorKind::Unavailable || error.kind() == ErrorKind::Timeout;
        if (must_fail && operation_failed) return;
        if (operation_failed) {
            throw Error(
                ErrorKind::AssertionFailed,
                "the operation failed on node " + std::to_string(node_id) + ": " + error.what());
        }
        throw;
    }
    auto completion = client_completion(op, result);
    record(completion.type, completion.value);
    if (must_fail) {
        throw Error(ErrorKind::AssertionFailed, "expected the operation to fail on node " +
                                                    std::to_string(node_id) + ", it returned " +
                                                    result.dump());
    }
    if (step.params.contains("expect") && step.params.at("expect") != result) {
        throw Error(ErrorKind::AssertionFailed, "expected " + step.params.at("expect").dump() +
                                                    ", got " + result.dump() + " from node " +
                                                    std::to_string(node_id));
    }
}

void StepExecutor::record_fault(const char* f, const std::string& fault, const Params& params) {
    nlohmann::json value = params.is_object() ? params : nlohmann::json::object();
    value.erase("during");
    value["fault"] = fault;
    history_.record({kNemesisProcess, EventType::Info, f, std::nullopt, std::move(value)});
}

// The scenario's operations of one model, checked as `atomix-test check` does.
void StepExecutor::check_linearizable(const Step& step) {
    CheckOptions options;
    options.model = model_named(step.params.at("model").get<std::string>());
    options.initial = step.params.value("initial", nlohmann::json());
    options.source = "the scenario's history";
    if (step.params.contains("timeout")) {
        options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(step.params.at("timeout").get<std::string>()));
    }
    bool expected = step.params.value("expect", true);
    // The steps' operations of the model, and with an entropy run (kv) its
    // history as already checked: linearizable only if both are.
    std::vector<std::pair<std::string, CheckResult>> results;
    if (entropy_ && options.model == Model::Kv)
        results.emplace_back("the entropy run's history: ", entropy_->check);
    if (!by_model_[options.model].empty() || results.empty()) {
        results.emplace_back("", check_history(by_model_[options.model], options));
    }
    for (const auto& [source, result] : results) {
        if (result.verdict == Verdict::Unknown) {
            throw Error(ErrorKind::AssertionFailed,
                        source + "linearizability undecided within the timeout: " +
                            format_check_result(result));
        }
    }
    auto failing = std::find_if(results.begin(), results.end(), [](const auto& each) {
        return each.second.verdict == Verdict::NotLinearizable;
    });
    check_result_ = failing != results.end() ? failing->second : results.back().second;
    if (expected && failing != results.end()) {
        auto report = format_check_result(failing->second);
        if (!report.empty() && report.back() == '\n') report.pop_back();
        throw Error(ErrorKind::AssertionFailed, failing->first + report);
    }
    if (!expected && failing == results.end()) {
        throw Error(ErrorKind::AssertionFailed,
                    "expected a history that is not linearizable, and every one was");
    }
}

void StepExecutor::check_availability(const Step& step) {
    if (!entropy_) {
        throw bad_input("availability judges an entropy run: the scenario has no entropy block");
    }
    auto judge = [&](const char* param, const AvailabilityCounts& counts, const char* when) {
        if (!step.params.contains(param)) return;
        auto wanted = step.params.at(param).get<double>();
        if (counts.ratio() >= wanted) return;
        char text[200];
        snprintf(text, sizeof text,
                 "availability %s was %.3f (%llu of %llu operations answered), below %.3f", when,
                 counts.ratio(), static_cast<unsigned long long>(counts.answered),
                 static_cast<unsigned long long>(counts.invoked), wanted);
        throw Error(ErrorKind::AssertionFailed, text);
    };
    judge("min", entropy_->availability.during_faults, "during faults");
    judge("outside_faults", entropy_->availability.outside_faults, "outside faults");
}

// Every plugin is cleared even when one fails (a plugin's exception of any
// type); the first failure is reported once all have been tried.
void StepExecutor::clear_faults() {
    auto info = cluster_info();
    FaultContext context{*backend_, info, random_};
    std::string failures;
    for (const auto& plugin : faults_used_) {
        try {
            workspace_.fault(plugin)->clear(context);
        } catch (const std::exception& error) {
            failures += (failures.empty() ? "" : "; ") + plugin + ": " + error.what();
        }
    }
    if (!faults_used_.empty()) record_fault("stop", "all", nlohmann::json::object());
    if (!failures.empty()) throw Error(ErrorKind::Internal, "clearing faults: " + failures);
}

}  // namespace atomixtest
