// Runs the steps of a scenario against one cluster. A fault with `during:` is
// undone after its sub-steps whether they pass, fail or are interrupted; a
// fault without `during:` stays until the scenario ends, when every fault
// plugin clears the cluster.
#pragma once

#include <chrono>
#include <map>
#include <ostream>
#include <random>
#include <set>

#include "atomixtest/check.hpp"
#include "atomixtest/history.hpp"
#include "engine/workspace.hpp"
#include "entropy/entropy_phase.hpp"
#include "scenario/scenario.hpp"

namespace atomixtest {

class StepExecutor {
  public:
    // Every client operation and fault goes to `history` (Jepsen's events).
    StepExecutor(Workspace& workspace, std::shared_ptr<Backend> backend, std::string cluster,
                 uint64_t seed, std::ostream& log, HistoryRecorder& history);

    // Throws Error: AssertionFailed for a step whose expectation did not hold,
    // other kinds as they came; the message starts with the step's position.
    void run(const Step& step);

    // Removes every fault that a plugin used by this run may have left.
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
    void run_node_action(const Step& step);
    void run_client(const Step& step);
    void check_linearizable(const Step& step);
    void check_availability(const Step& step);
    void record_fault(const char* f, const std::string& fault, const Params& params);
    std::optional<Undo> run_fault(const std::string& plugin, const Step& step);
    void undo(const std::string& plugin, const Undo& undo);
    void run_during(const std::string& plugin, const Step& step,
                    const std::optional<Undo>& undo_fault);
    void log_step(const Step& step, std::chrono::steady_clock::time_point started,
                  const char* outcome);
    ClusterInfo cluster_info();

    Workspace& workspace_;
    std::shared_ptr<Backend> backend_;
    std::string cluster_;
    std::mt19937_64 random_;
    std::ostream& log_;
    std::set<std::string> faults_used_;
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
