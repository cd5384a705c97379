#include "engine/step_executor.hpp"

#include <chrono>
#include <thread>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "history/client_history.hpp"
#include "session/client_call.hpp"
#include "session/param_check.hpp"

namespace atomixtest {

namespace {

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
      faults_(workspace, std::move(backend), std::move(cluster), seed),
      log_(log),
      history_(history) {}

void StepExecutor::run(const Step& step) {
    if (interrupt_requested()) {
        throw Error(ErrorKind::Internal, "interrupted before " + where(step));
    }
    auto started = std::chrono::steady_clock::now();
    try {
        switch (step.entry.owner) {
            case VerbOwner::Engine:
                run_engine_verb(step);
                break;
            case VerbOwner::Node:
            case VerbOwner::Fault:
                run_fault(step, started);
                return;
            case VerbOwner::Client:
                run_client(step);
                break;
        }
    } catch (const Error& error) {
        std::string message = error.what();
        // Nested steps already carry their own position.
        if (message.rfind(step.mark.file + ":", 0) == 0) throw;
        throw Error(error.kind(), where(step) + ": " + message);
    }
    log_step(step, step.params, started, "ok");
}

void StepExecutor::run_engine_verb(const Step& step) {
    auto params = faults_.complete(step.entry.spec, step.params).params;
    if (step.verb == "linearizable") {
        check_linearizable(params);
    } else if (step.verb == "availability") {
        check_availability(params);
    } else if (step.verb == "sleep") {
        sleep_interruptibly(duration_param(params, "duration"));
    } else {
        throw Error(ErrorKind::Internal, "the engine has no verb " + step.verb);
    }
}

void StepExecutor::log_step(const Step& step, const Params& params,
                            std::chrono::steady_clock::time_point started,
                            const std::string& outcome, const std::string& verified) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    log_ << indent() << outcome << "  " << step.verb << " " << params.dump() << " ("
         << elapsed.count() << " ms)";
    if (!verified.empty()) log_ << " verified: " << verified;
    log_ << "\n";
}

// Through the door: checked again against the cluster as it is now, then
// applied with its nodes resolved. The fault stays in force while its
// sub-steps run and is undone whatever they do; when a sub-step fails, its
// error is the one reported, not the undo's.
void StepExecutor::run_fault(const Step& step, std::chrono::steady_clock::time_point started) {
    auto applied = faults_.apply(step.entry, step.params);
    record_fault("start", step.verb, applied.params);
    for (const auto& warning : applied.warnings) log_ << indent() << "warning: " << warning << "\n";
    if (applied.result.is_object()) {
        log_ << indent() << "added node " << applied.result.value("id", 0) << " ("
             << applied.result.value("name", std::string()) << ", "
             << applied.result.value("profile", std::string()) << ")\n";
    }
    if (step.during.empty()) {
        log_step(step, applied.params, started, "ok", applied.verified);
        return;
    }
    log_step(step, applied.params, started, "in force", applied.verified);
    ++depth_;
    try {
        for (const auto& sub : step.during) run(sub);
    } catch (...) {
        --depth_;
        try {
            undo(applied);
        } catch (const std::exception& undo_error) {
            log_ << "  undo of " << step.verb << " failed: " << undo_error.what()
                 << " (cleared at the end of the scenario)\n";
        }
        throw;
    }
    --depth_;
    undo(applied);
}

void StepExecutor::undo(const AppliedFault& fault) {
    if (!fault.undo) return;
    faults_.apply_undo(*fault.undo);
    record_fault("stop", fault.undo->verb, fault.undo->params);
    log_ << indent() << "undo  " << fault.undo->verb << "\n";
}

void StepExecutor::run_client(const Step& step) {
    auto info = faults_.cluster();
    auto params = faults_.complete(step.entry.spec, step.params).params;
    int node_id = static_cast<int>(integer_param(params, "node"));
    auto timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(duration_param(params, "timeout"));
    auto target = client_target(workspace_, info, node_id, timeout);
    Params own = step.params;
    for (const char* owned : kClientStepParams) own.erase(owned);
    bool must_fail = params.value("fails", false);
    auto op = client_operation(step.verb, own);
    auto process = process_;
    auto record = [&](EventType type, nlohmann::json value) {
        auto event = history_.record({process, type, op.f, op.key, std::move(value)});
        if (op.model) by_model_[*op.model].push_back(std::move(event));
    };
    record(EventType::Invoke, op.value);
    nlohmann::json result;
    try {
        result = target.client->invoke(step.verb, own, target.endpoint);
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
void StepExecutor::check_linearizable(const Params& params) {
    CheckOptions options;
    options.model = model_named(string_param(params, "model"));
    options.initial = params.value("initial", nlohmann::json());
    options.source = "the scenario's history";
    options.memory_limit = check_memory_limit_;
    options.all_keys = check_all_keys_;
    options.timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(duration_param(params, "timeout"));
    bool expected = boolean_param(params, "expect");
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
                        source + "linearizability undecided (the timeout or --memory-limit): " +
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

void StepExecutor::check_availability(const Params& params) {
    if (!entropy_) {
        throw bad_input("availability judges an entropy run: the scenario has no entropy block");
    }
    auto judge = [&](const char* param, const AvailabilityCounts& counts, const char* when) {
        if (!params.contains(param)) return;
        auto wanted = number_param(params, param);
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

void StepExecutor::clear_faults() {
    faults_.clear();
    record_fault("stop", "all", nlohmann::json::object());
}

}  // namespace atomixtest
