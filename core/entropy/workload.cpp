#include "entropy/workload.hpp"

#include <algorithm>

#include "atomixtest/error.hpp"
#include "entropy/entropy_schedule.hpp"

namespace atomixtest {

namespace {

using Clock = std::chrono::steady_clock;

// Few values: concurrent writers often write the same one, which is what
// makes a stale read or a lost write visible to the checker, and keeps its
// state space small.
constexpr uint64_t kValues = 10;

// Register verbs every client plugin offers (etcd and Atomix alike).
const char* verb_for(const std::string& f) {
    if (f == "get") return "value.get";
    if (f == "put") return "value.set";
    return "value.cas";
}

}  // namespace

Workload::Workload(std::shared_ptr<ClientPlugin> client, std::vector<Endpoint> endpoints,
                   HistoryRecorder& history, WorkloadOptions options)
    : client_(std::move(client)),
      endpoints_(std::move(endpoints)),
      history_(history),
      options_(options),
      random_(options.seed) {
    if (endpoints_.empty()) throw bad_input("the workload needs at least one node to talk to");
    for (auto& endpoint : endpoints_) endpoint.timeout = options_.op_timeout;
    for (int64_t process = 0; process < options_.parallelism; ++process) {
        free_processes_.push_back(process);
    }
    next_process_ = options_.parallelism;
    for (int key = 0; key < options_.scale; ++key) keys_.push_back({next_key_++});
}

Workload::~Workload() {
    {
        std::lock_guard lock(mutex_);
        shutting_down_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
}

Workload::Operation Workload::next_operation(bool writes_only) {
    std::lock_guard lock(mutex_);
    static const char* const kFunctions[] = {"get", "put", "cas"};
    Operation operation;
    operation.f = writes_only ? "put" : kFunctions[draw_uniform(random_, 0, 2)];
    operation.slot = draw_uniform(random_, 0, keys_.size() - 1);
    auto& key = keys_[operation.slot];
    if (options_.key_concurrency > 0 && key.open >= options_.key_concurrency) {
        key = {next_key_++};  // its open operations end on their own
    }
    operation.key_number = key.key;
    operation.key = "k" + std::to_string(key.key);
    ++key.open;
    if (options_.key_operations > 0 && ++key.served >= options_.key_operations) {
        key = {next_key_++};
    }
    auto value = std::to_string(draw_uniform(random_, 1, kValues));
    if (operation.f == "put") operation.value = value;
    if (operation.f == "cas") {
        operation.value = {std::to_string(draw_uniform(random_, 1, kValues)), value};
    }
    return operation;
}

void Workload::close_operation(const Operation& operation) {
    auto& key = keys_[operation.slot];
    if (key.key == operation.key_number) --key.open;  // a key replaced since is out of play
}

int64_t Workload::acquire_process() {
    std::lock_guard lock(mutex_);
    if (free_processes_.empty()) return next_process_++;
    auto process = free_processes_.front();
    free_processes_.pop_front();
    return process;
}

void Workload::release_process(int64_t process, bool retired) {
    std::lock_guard lock(mutex_);
    // In turn, as Jepsen's threads take turns: each process talks to one node,
    // so turns spread the operations over every node. (Lowest first would send
    // nearly all of them through process 0's node while the cluster is fast.)
    // Processes added while the cluster stalled go once enough are free.
    if (retired || free_processes_.size() >= static_cast<size_t>(options_.parallelism)) return;
    free_processes_.push_back(process);
}

void Workload::perform(int64_t process, const Operation& operation) {
    const auto& endpoint = endpoints_[static_cast<size_t>(process) % endpoints_.size()];
    Params params = {{"register", operation.key}};
    if (operation.f == "put") params["value"] = operation.value;
    if (operation.f == "cas") {
        params["old"] = operation.value[0];
        params["value"] = operation.value[1];
    }
    history_.invoke(process, operation.f, operation.key, operation.value);
    EventType outcome = EventType::Ok;
    nlohmann::json result = operation.value;
    try {
        auto answer = client_->invoke(verb_for(operation.f), params, endpoint);
        if (operation.f == "get") result = answer;
        // A compare-and-set that found another value certainly did not happen.
        if (operation.f == "cas" && answer != true) outcome = EventType::Fail;
    } catch (const Error& error) {
        outcome = error.kind() == ErrorKind::Unavailable ? EventType::Fail : EventType::Info;
        // The error, so that availability tells a refused operation from a
        // compare-and-set that was answered "not that value".
        result = {{"error", error.what()}};
    }
    history_.complete(process, outcome, operation.f, operation.key, result);
    {
        std::lock_guard lock(mutex_);
        if (outcome != EventType::Info) close_operation(operation);
        ++counts_.invoked;
        if (outcome == EventType::Ok) ++counts_.ok;
        if (outcome == EventType::Fail) ++counts_.fail;
        if (outcome == EventType::Info) ++counts_.info;
    }
    release_process(process, outcome == EventType::Info);
}

void Workload::submit(Operation operation) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(operation));
    ++in_flight_;
    // More threads only when every one is busy: a stalled cluster must not
    // slow the timetable down. The cap bounds a machine-wide stall.
    size_t cap = std::max<size_t>(512, static_cast<size_t>(options_.parallelism));
    if (idle_workers_ == 0 && workers_.size() < cap) {
        workers_.emplace_back([this] { worker_loop(); });
    } else {
        work_ready_.notify_one();
    }
}

void Workload::worker_loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        ++idle_workers_;
        work_ready_.wait(lock, [this] { return shutting_down_ || !queue_.empty(); });
        --idle_workers_;
        if (queue_.empty()) return;  // shutting down with nothing left
        auto operation = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        perform(acquire_process(), operation);
        lock.lock();
        --in_flight_;
        work_done_.notify_all();
    }
}

void Workload::wait_idle() {
    std::unique_lock lock(mutex_);
    work_done_.wait(lock, [this] { return in_flight_ == 0; });
}

void Workload::prime(int64_t count, const std::atomic<bool>& stop) {
    std::atomic<int64_t> next{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < options_.parallelism; ++i) {
        threads.emplace_back([&] {
            while (!stop && next++ < count) {
                auto operation = next_operation(true);
                perform(acquire_process(), operation);
            }
        });
    }
    for (auto& thread : threads) thread.join();
}

void Workload::run(Clock::time_point until, const std::atomic<bool>& stop) {
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
        submit(next_operation(false));
    }
    wait_idle();
}

WorkloadCounts Workload::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

}  // namespace atomixtest
