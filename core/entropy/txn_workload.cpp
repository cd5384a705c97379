#include "entropy/txn_workload.hpp"

#include <algorithm>
#include <random>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace {

using Clock = std::chrono::steady_clock;

// The client verb of each model, as the etcd plugin declares it.
const char* verb_of(txn::TxnModel model) {
    return model == txn::TxnModel::ListAppend ? "txn.append" : "txn.register";
}

// Workloads that write only (the original's --prime): reads dropped.
nlohmann::json writes_of(const nlohmann::json& txn) {
    auto writes = nlohmann::json::array();
    for (const auto& mop : txn) {
        if (mop[0] != "r") writes.push_back(mop);
    }
    return writes;
}

// The transaction as invoked: reads have no value yet.
nlohmann::json invocation_of(nlohmann::json txn) {
    for (auto& mop : txn) {
        if (mop[0] == "r") mop[2] = nullptr;
    }
    return txn;
}

}  // namespace

TxnWorkload::TxnWorkload(const TxnWorkloadOptions& txn, std::shared_ptr<ClientPlugin> client,
                         std::vector<Endpoint> endpoints, HistoryRecorder& history,
                         WorkloadOptions options)
    : verb_(verb_of(*txn.model)),
      client_(std::move(client)),
      endpoints_(std::move(endpoints)),
      history_(history),
      options_(options),
      generator_(txn.shape, options.seed) {
    // A namespace of its own: a cluster used before (--cluster) may hold
    // another run's lists under the same keys.
    char suffix[16];
    snprintf(suffix, sizeof suffix, "%08x", std::random_device{}());
    map_ = std::string("txn-") + suffix;
    if (endpoints_.empty()) throw bad_input("the workload needs at least one node to talk to");
    auto verbs = client_->verbs();
    if (std::none_of(verbs.begin(), verbs.end(),
                     [&](const VerbSpec& v) { return v.name == verb_; })) {
        throw bad_input("--workload " + std::string(txn::to_string(*txn.model)) +
                        ": the cluster's client has no " + verb_ +
                        " verb (the etcd client has; see the README on Atomix transactions)");
    }
    for (auto& endpoint : endpoints_) endpoint.timeout = options_.op_timeout;
    for (int64_t process = 0; process < options_.parallelism; ++process) {
        free_processes_.push_back(process);
    }
    next_process_ = options_.parallelism;
}

TxnWorkload::~TxnWorkload() {
    {
        std::lock_guard lock(mutex_);
        shutting_down_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
}

nlohmann::json TxnWorkload::next_txn() {
    std::lock_guard lock(mutex_);
    return generator_.next();
}

int64_t TxnWorkload::acquire_process() {
    std::lock_guard lock(mutex_);
    if (free_processes_.empty()) return next_process_++;
    auto process = free_processes_.front();
    free_processes_.pop_front();
    return process;
}

void TxnWorkload::release_process(int64_t process, bool retired) {
    std::lock_guard lock(mutex_);
    // In turn, so that transactions spread over every node (process p talks to
    // node p mod n), as the register workload does.
    if (retired || free_processes_.size() >= static_cast<size_t>(options_.parallelism)) return;
    free_processes_.push_back(process);
}

void TxnWorkload::perform(int64_t process, const nlohmann::json& txn) {
    const auto& endpoint = endpoints_[static_cast<size_t>(process) % endpoints_.size()];
    auto invocation = invocation_of(txn);
    history_.invoke(process, "txn", std::nullopt, invocation);
    EventType outcome = EventType::Ok;
    nlohmann::json result;
    try {
        result = client_->invoke(verb_, {{"ops", invocation}, {"map", map_}}, endpoint);
        // The system refused it: nothing was applied, and it answered.
        if (result == false) {
            outcome = EventType::Fail;
            result = invocation;
        }
    } catch (const Error& error) {
        outcome = error.kind() == ErrorKind::Unavailable ? EventType::Fail : EventType::Info;
        result = {{"error", error.what()}};
    }
    history_.complete(process, outcome, "txn", std::nullopt, result);
    {
        std::lock_guard lock(mutex_);
        ++counts_.invoked;
        if (outcome == EventType::Ok) ++counts_.ok;
        if (outcome == EventType::Fail) ++counts_.fail;
        if (outcome == EventType::Info) ++counts_.info;
    }
    release_process(process, outcome == EventType::Info);
}

void TxnWorkload::submit(nlohmann::json txn) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(txn));
    ++in_flight_;
    // More threads only when every one is busy, so a stalled cluster cannot
    // slow the timetable; the cap bounds a machine-wide stall.
    size_t cap = std::max<size_t>(512, static_cast<size_t>(options_.parallelism));
    if (idle_workers_ == 0 && workers_.size() < cap) {
        workers_.emplace_back([this] { worker_loop(); });
    } else {
        work_ready_.notify_one();
    }
}

void TxnWorkload::worker_loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        ++idle_workers_;
        work_ready_.wait(lock, [this] { return shutting_down_ || !queue_.empty(); });
        --idle_workers_;
        if (queue_.empty()) return;
        auto txn = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        perform(acquire_process(), txn);
        lock.lock();
        --in_flight_;
        work_done_.notify_all();
    }
}

void TxnWorkload::prime(int64_t count, const std::atomic<bool>& stop) {
    std::atomic<int64_t> next{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < options_.parallelism; ++i) {
        threads.emplace_back([&] {
            while (!stop && next++ < count) {
                auto writes = writes_of(next_txn());
                if (!writes.empty()) perform(acquire_process(), writes);
            }
        });
    }
    for (auto& thread : threads) thread.join();
}

void TxnWorkload::run(Clock::time_point until, const std::atomic<bool>& stop) {
    auto interval = std::chrono::duration<double, std::nano>(1e9 / options_.ops);
    auto start = Clock::now();
    for (int64_t k = 0;; ++k) {
        auto due = start + std::chrono::duration_cast<Clock::duration>(interval * k);
        if (due >= until) break;
        while (!stop && Clock::now() < due) {
            std::this_thread::sleep_until(
                std::min(due, Clock::now() + std::chrono::milliseconds(50)));
        }
        if (stop) break;
        auto late = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - due);
        {
            std::lock_guard lock(mutex_);
            counts_.latest_invocation_ns = std::max(counts_.latest_invocation_ns, late.count());
        }
        submit(next_txn());
    }
    std::unique_lock lock(mutex_);
    work_done_.wait(lock, [this] { return in_flight_ == 0; });
}

WorkloadCounts TxnWorkload::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

// The register workload behind the same interface.
class RegisterWorkload : public EntropyWorkload {
  public:
    RegisterWorkload(std::shared_ptr<ClientPlugin> client, std::vector<Endpoint> endpoints,
                     HistoryRecorder& history, WorkloadOptions options)
        : workload_(std::move(client), std::move(endpoints), history, options) {}
    void prime(int64_t count, const std::atomic<bool>& stop) override {
        workload_.prime(count, stop);
    }
    void run(Clock::time_point until, const std::atomic<bool>& stop) override {
        workload_.run(until, stop);
    }
    WorkloadCounts counts() const override { return workload_.counts(); }

  private:
    Workload workload_;
};

std::unique_ptr<EntropyWorkload> make_entropy_workload(const TxnWorkloadOptions& txn,
                                                       std::shared_ptr<ClientPlugin> client,
                                                       std::vector<Endpoint> endpoints,
                                                       HistoryRecorder& history,
                                                       WorkloadOptions options) {
    if (txn.model) {
        return std::make_unique<TxnWorkload>(txn, std::move(client), std::move(endpoints), history,
                                             options);
    }
    return std::make_unique<RegisterWorkload>(std::move(client), std::move(endpoints), history,
                                              options);
}

}  // namespace atomixtest
