// The entropy workload: client processes submitting a mix of reads, writes
// and compare-and-sets on `scale` registers, recorded as a history for the kv
// model. It is open loop: operations are invoked on a fixed timetable of
// `ops` a second whatever the cluster does, so a stalled cluster shows as
// latency and timeouts, not as a slower request rate.
//
// Processes follow Jepsen: one operation at a time each; a process whose
// operation ended in `info` (outcome unknown) is never used again, since that
// operation may still take effect; a new process takes its place.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "atomixtest/client.hpp"
#include "atomixtest/history.hpp"
#include "scenario/entropy_options.hpp"

namespace atomixtest {

struct WorkloadCounts {
    uint64_t invoked = 0;
    uint64_t ok = 0;
    uint64_t fail = 0;
    uint64_t info = 0;
    int64_t latest_invocation_ns = 0;  // the furthest behind the timetable one ran
};

class Workload {
  public:
    // endpoints: the nodes' client ports; process p talks to endpoints[p % size].
    Workload(std::shared_ptr<ClientPlugin> client, std::vector<Endpoint> endpoints,
             HistoryRecorder& history, WorkloadOptions options);
    ~Workload();

    // Writes `count` operations as fast as `parallelism` processes can (the
    // original's --prime), recorded like every other operation.
    void prime(int64_t count, const std::atomic<bool>& stop);

    // Invokes operations on the timetable until `until` or until stop is set,
    // then waits for the operations in flight (at most the op timeout).
    void run(std::chrono::steady_clock::time_point until, const std::atomic<bool>& stop);

    WorkloadCounts counts() const;

  private:
    struct Operation {
        std::string f;    // get, put, cas
        size_t slot = 0;  // in keys_, while the key is still in play there
        int64_t key_number = 0;
        std::string key;
        nlohmann::json value;
    };
    struct KeySlot {
        int64_t key;
        int served = 0;  // operations invoked on it
        int open = 0;    // of them, pending or info
    };
    Operation next_operation(bool writes_only);
    void perform(int64_t process, const Operation& operation);
    void close_operation(const Operation& operation);  // under mutex_
    int64_t acquire_process();
    void release_process(int64_t process, bool retired);
    void submit(Operation operation);
    void worker_loop();
    void wait_idle();

    std::shared_ptr<ClientPlugin> client_;
    std::vector<Endpoint> endpoints_;
    HistoryRecorder& history_;
    WorkloadOptions options_;
    std::mt19937_64 random_;
    std::vector<KeySlot> keys_;  // the keys in play
    int64_t next_key_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable work_done_;
    std::deque<Operation> queue_;
    std::vector<std::thread> workers_;
    size_t idle_workers_ = 0;
    size_t in_flight_ = 0;
    bool shutting_down_ = false;
    std::deque<int64_t> free_processes_;  // the next to take a turn first
    int64_t next_process_ = 0;
    WorkloadCounts counts_;
};

}  // namespace atomixtest
