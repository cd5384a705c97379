// Runs the steps of a scenario against one cluster. Faults and node actions
// go through the cluster's FaultSession (the one door); a fault with
// `during:` is undone after its sub-steps whether they pass, fail or are
// interrupted; a fault without `during:` stays until the scenario ends, when
// every fault plugin used clears the cluster.
#pragma once

#include <chrono>
#include <map>
#include <ostream>

#include "atomixtest/check.hpp"
#include "atomixtest/history.hpp"
#include "entropy/entropy_phase.hpp"
#include "scenario/scenario.hpp"
#include "session/fault_session.hpp"

namespace atomixtest {

class StepExecutor {
  public:
    // Every client operation and fault goes to `history` (Jepsen's events).
    StepExecutor(Workspace& workspace, std::shared_ptr<Backend> backend, std::string cluster,
                 uint64_t seed, std::ostream& log, HistoryRecorder& history);

    // Throws Error: AssertionFailed for a step whose expectation did not hold,
    // other kinds as they came; the message starts with the step's position.
    void run(const Step& step);

    // Removes every fault that a plugin used by this run may have left; every
    // plugin is tried, the failures are thrown together.
    void clear_faults();

    // The scenario's entropy run, which `linearizable` (model kv) and
    // `availability` then judge.
    void set_entropy_result(EntropyPhaseResult result) { entropy_ = std::move(result); }

    // What `linearizable` may hold in memory (0: the checker's default), and
    // whether it decides every key or stops at the verdict.
    void set_check_limits(size_t memory_limit, bool all_keys) {
        check_memory_limit_ = memory_limit;
        check_all_keys_ = all_keys;
    }

    // What the last `linearizable` found (the failing history's, if one failed).
    const std::optional<CheckResult>& check_result() const { return check_result_; }

  private:
    void run_engine_verb(const Step& step);
    void run_fault(const Step& step, std::chrono::steady_clock::time_point started);
    void run_client(const Step& step);
    void check_linearizable(const Params& params);
    void check_availability(const Params& params);
    void record_fault(const char* f, const std::string& fault, const Params& params);
    void undo(const AppliedFault& fault);
    // One line per step; `verified` is what the fault's check saw, if any.
    void log_step(const Step& step, const Params& params,
                  std::chrono::steady_clock::time_point started, const std::string& outcome,
                  const std::string& verified = "");
    std::string indent() const { return std::string(2 + 2 * depth_, ' '); }

    Workspace& workspace_;
    FaultSession faults_;
    std::ostream& log_;
    int depth_ = 0;  // of `during:` nesting, for the log's indentation
    HistoryRecorder& history_;
    std::map<Model, History> by_model_;  // what `linearizable` checks
    std::optional<EntropyPhaseResult> entropy_;
    std::optional<CheckResult> check_result_;
    size_t check_memory_limit_ = 0;
    bool check_all_keys_ = false;
    int64_t process_ = 0;  // a process whose operation ended unknown is replaced, as in Jepsen
};

}  // namespace atomixtest
