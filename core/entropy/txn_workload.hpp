// The transactional entropy workload: client processes submitting random
// transactions (txn/txn_generator.hpp, Elle's knobs) through the client's
// txn.append (list-append) or txn.register (rw-register) verb, recorded as a
// history for the transactional checker. Like the register workload it is
// open loop (transactions invoked on a fixed timetable whatever the cluster
// does) and follows Jepsen's processes (one transaction at a time each; a
// process whose transaction ended info is retired). A transaction the system
// refused (the verb answered false: etcd's guard found the key changed) is a
// fail; an error that certainly applied nothing is a fail too; any other is info.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "entropy/entropy_workload.hpp"

namespace atomixtest {

class TxnWorkload : public EntropyWorkload {
  public:
    // Throws Error(BadInput) when the client has no verb for the model.
    TxnWorkload(const TxnWorkloadOptions& txn, std::shared_ptr<ClientPlugin> client,
                std::vector<Endpoint> endpoints, HistoryRecorder& history, WorkloadOptions options);
    ~TxnWorkload() override;

    void prime(int64_t count, const std::atomic<bool>& stop) override;
    void run(std::chrono::steady_clock::time_point until, const std::atomic<bool>& stop) override;
    WorkloadCounts counts() const override;

  private:
    void perform(int64_t process, const nlohmann::json& txn);
    int64_t acquire_process();
    void release_process(int64_t process, bool retired);
    void submit(nlohmann::json txn);
    void worker_loop();
    nlohmann::json next_txn();

    std::string verb_;
    std::string map_;  // the transactional map (etcd: the keys' prefix) of this run
    std::shared_ptr<ClientPlugin> client_;
    std::vector<Endpoint> endpoints_;
    HistoryRecorder& history_;
    WorkloadOptions options_;
    txn::TxnGenerator generator_;

    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable work_done_;
    std::deque<nlohmann::json> queue_;
    std::vector<std::thread> workers_;
    size_t idle_workers_ = 0;
    size_t in_flight_ = 0;
    bool shutting_down_ = false;
    std::deque<int64_t> free_processes_;
    int64_t next_process_ = 0;
    WorkloadCounts counts_;
};

}  // namespace atomixtest
