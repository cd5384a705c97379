#include "entropy/entropy_controller.hpp"

#include <thread>

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace {

using Clock = std::chrono::steady_clock;

std::string nodes_text(const nlohmann::json& nodes) {
    if (nodes.is_number()) return "node " + nodes.dump();
    if (nodes.is_array()) {
        std::string text = "nodes";
        for (const auto& node : nodes) text += " " + node.dump();
        return text;
    }
    return "every node";
}

}  // namespace

bool sleep_until_or_stop(Clock::time_point when, const std::atomic<bool>& stop) {
    while (!stop) {
        auto now = Clock::now();
        if (now >= when) return true;
        // Short naps near the deadline: the start of a fault is a figure.
        std::this_thread::sleep_until(std::min(when, now + std::chrono::milliseconds(20)));
    }
    return false;
}

EntropyController::EntropyController(Nemesis& nemesis, const EntropySchedule& schedule,
                                     HistoryRecorder& history, std::ostream& log)
    : nemesis_(nemesis), schedule_(schedule), history_(history), log_(log) {}

void EntropyController::record(const char* f, const ActiveFault& fault) {
    HistoryEvent event;
    event.process = kNemesisProcess;
    event.type = EventType::Info;
    event.f = f;
    event.value = fault.what;
    event.value["fault"] = fault.name;
    history_.record(std::move(event));
}

void EntropyController::run(Clock::time_point start, const std::atomic<bool>& stop) {
    for (const auto& planned : schedule_.faults) {
        FaultTiming timing{planned.sequence, planned.start.count(), -1, ""};
        if (!sleep_until_or_stop(start + planned.start, stop)) break;
        const auto& function = schedule_.functions[planned.function];
        timing.actual_ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
        // Started when it begins to be applied: a restart is over by the time
        // apply returns, and operations during it belong to the fault.
        ActiveFault fault{Nemesis::name_of(function), Nemesis::planned_what(planned, function), {}};
        record("start", fault);
        try {
            fault = nemesis_.apply(planned, function);
        } catch (const Error& error) {
            timing.error = error.what();
            log_ << "entropy: " << function.describe() << " could not be applied: " << error.what()
                 << "\n";
            fault.what["error"] = error.what();
            record("stop", fault);
            std::lock_guard lock(mutex_);
            timings_.push_back(timing);
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            timings_.push_back(timing);
            in_force_ =
                fault.name + " (" +
                nodes_text(fault.what.contains("nodes") ? fault.what["nodes"] : nlohmann::json()) +
                ")";
        }
        sleep_until_or_stop(start + planned.start + planned.period, stop);
        try {
            fault.undo();
        } catch (const Error& error) {
            // The final heal clears whatever an undo left.
            log_ << "entropy: undo of " << fault.name << " failed: " << error.what() << "\n";
        }
        record("stop", fault);
        std::lock_guard lock(mutex_);
        in_force_.clear();
    }
}

std::vector<FaultTiming> EntropyController::timings() const {
    std::lock_guard lock(mutex_);
    return timings_;
}

std::string EntropyController::in_force() const {
    std::lock_guard lock(mutex_);
    return in_force_;
}

}  // namespace atomixtest
