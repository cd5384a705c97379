#include "entropy/entropy_phase.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <thread>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "entropy/entropy_check.hpp"
#include "entropy/entropy_controller.hpp"
#include "entropy/entropy_schedule.hpp"
#include "entropy/entropy_workload.hpp"
#include "entropy/progress_line.hpp"
#include "history/availability.hpp"
#include "report/html_report.hpp"
#include "results/results_dir.hpp"
#include "session/client_call.hpp"
#include "util/scope_exit.hpp"

namespace atomixtest {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Each node's endpoint as every client call makes it (session/client_call.hpp);
// the workload sets the timeout. The cluster's client speaks to every node.
std::vector<Endpoint> endpoints_of(Workspace& workspace, const ClusterInfo& info) {
    std::vector<Endpoint> endpoints;
    for (const auto& node : info.nodes) {
        if (node.local_port <= 0) continue;
        endpoints.push_back(client_target(workspace, info, node.id, {}).endpoint);
    }
    return endpoints;
}

// Stops the run on Ctrl-C: the signal handler only sets a flag.
class InterruptWatch {
  public:
    explicit InterruptWatch(std::atomic<bool>& stop)
        : thread_([this, &stop] {
              while (!done_) {
                  if (interrupt_requested()) stop = true;
                  std::this_thread::sleep_for(std::chrono::milliseconds(20));
              }
          }) {}
    ~InterruptWatch() {
        done_ = true;
        thread_.join();
    }

  private:
    std::atomic<bool> done_{false};
    std::thread thread_;
};

nlohmann::json lateness_figures(const std::vector<FaultTiming>& timings) {
    std::vector<double> late_ms;
    for (const auto& timing : timings) {
        if (timing.actual_ns >= 0) late_ms.push_back((timing.actual_ns - timing.planned_ns) / 1e6);
    }
    if (late_ms.empty()) return nullptr;
    std::sort(late_ms.begin(), late_ms.end());
    auto at = [&](double q) { return late_ms[static_cast<size_t>(q * (late_ms.size() - 1))]; };
    return {{"faults", late_ms.size()},
            {"p50_ms", at(.5)},
            {"p99_ms", at(.99)},
            {"max_ms", late_ms.back()}};
}

nlohmann::json timings_json(const std::vector<FaultTiming>& timings) {
    auto list = nlohmann::json::array();
    for (const auto& timing : timings) {
        nlohmann::json entry = {
            {"sequence", timing.sequence},
            {"planned_ms", timing.planned_ns / 1e6},
            {"actual_ms", timing.actual_ns < 0 ? nlohmann::json(nullptr)
                                               : nlohmann::json(timing.actual_ns / 1e6)}};
        if (!timing.error.empty()) entry["error"] = timing.error;
        list.push_back(entry);
    }
    return list;
}

// Invocations in each whole second of the run: an open loop keeps every second
// at the rate asked, whatever the cluster does.
class InvocationRate {
  public:
    void add(int64_t time_ns) {
        if (first_ns_ < 0) first_ns_ = time_ns;
        auto second = static_cast<size_t>((time_ns - first_ns_) / 1'000'000'000);
        if (second >= per_second_.size()) per_second_.resize(second + 1);
        ++per_second_[second];
    }
    nlohmann::json to_json(double asked) const {
        if (per_second_.size() < 2) return {{"asked", asked}};
        // The last second is partial.
        auto whole = std::vector<uint64_t>(per_second_.begin(), per_second_.end() - 1);
        auto [slowest, fastest] = std::minmax_element(whole.begin(), whole.end());
        double total = 0;
        for (auto count : whole) total += static_cast<double>(count);
        return {{"asked", asked},
                {"mean", total / static_cast<double>(whole.size())},
                {"slowest_second", *slowest},
                {"fastest_second", *fastest}};
    }

  private:
    int64_t first_ns_ = -1;
    std::vector<uint64_t> per_second_;
};

// The command that replays the run: the seed goes before the functions.
std::string replay_command(const EntropyOptions& options) {
    const std::string prefix = "atomix-test entropy";
    auto rest = options.command_line.substr(std::min(prefix.size(), options.command_line.size()));
    return prefix + " --seed " + std::to_string(options.seed) + rest;
}

}  // namespace

EntropyPhaseResult run_entropy_phase(Workspace& workspace, const std::shared_ptr<Backend>& backend,
                                     const std::string& cluster, const EntropyOptions& options,
                                     const fs::path& results, std::ostream& out) {
    auto info = backend->describe(cluster);
    auto schedule =
        plan_entropy(options.functions, info.node_ids(), options.run_time, options.seed);
    auto replay = options.replay.empty() ? replay_command(options) : options.replay;
    out << "seed " << options.seed << " (replay: " << replay << ")\nresults " << results.string()
        << "\n";
    std::ofstream(results / "command.txt") << replay << "\n";
    write_json_file(results / "schedule.json", schedule.to_json());

    std::atomic<bool> stop{false};
    InterruptWatch watch(stop);
    auto history_file = results / "history.jsonl";
    WorkloadCounts counts;
    std::vector<FaultTiming> timings;
    Clock::duration elapsed{};
    {
        HistoryRecorder history(history_file, HistoryFormat::Jsonl, false);
        auto workload_options = options.workload;
        workload_options.seed = options.seed ^ 0x5eed5eed5eed5eedULL;  // apart from the schedule's
        auto workload = make_entropy_workload(
            options.txn, workspace.plugins().client(workspace.profile(info.profile).client),
            endpoints_of(workspace, info), history, workload_options);
        if (options.prime > 0) {
            out << "entropy: priming " << options.prime << " writes over " << options.workload.scale
                << " keys\n";
            workload->prime(options.prime, stop);
        }
        Nemesis nemesis(workspace, backend, cluster, options.seed);
        EntropyController controller(nemesis, schedule, history, out);
        auto start = Clock::now();
        auto until = start + options.run_time;
        // A thread that failed stops the run; the heal and check still happen.
        auto guarded = [&](const char* what, const std::function<void()>& body) {
            return std::thread([&, what, body] {
                try {
                    body();
                } catch (const std::exception& error) {
                    out << "entropy: " << what << " stopped: " << error.what() << "\n";
                    stop = true;
                }
            });
        };
        auto faults = guarded("the fault schedule", [&] { controller.run(start, stop); });
        auto clients = guarded("the workload", [&] { workload->run(until, stop); });
        while (!stop && Clock::now() < until) {
            sleep_until_or_stop(std::min(until, Clock::now() + std::chrono::seconds(1)), stop);
            print_progress(out, options.progress,
                           progress_text(Clock::now() - start, options.run_time, workload->counts(),
                                         controller.in_force()));
        }
        end_progress(out, options.progress);
        elapsed = Clock::now() - start;
        stop = true;
        faults.join();
        clients.join();
        out << "entropy: healing the cluster\n";
        nemesis.heal_everything(out);
        counts = workload->counts();
        timings = controller.timings();
        save_node_logs(*backend, cluster, results / "logs", out);
    }
    // The cluster is healed and the history complete: what was recorded is
    // still read and checked (the readers and the search stop at an
    // interrupt; a second Ctrl-C during that interrupts it again). The
    // request is made again after, for the command's exit code and for
    // whatever would come next (the scenarios after this one).
    bool interrupted = interrupt_requested();
    clear_interrupt();
    ScopeExit interrupt_again([&] {
        if (interrupted) request_interrupt();
    });

    AvailabilityTally tally;
    InvocationRate rate;
    read_history_file(history_file, HistoryFormat::Jsonl, [&](HistoryEvent&& event) {
        tally.add(event);
        if (event.type == EventType::Invoke && event.process != kNemesisProcess) {
            rate.add(event.time_ns);
        }
    });
    auto availability = tally.result();
    auto check = check_entropy_history(options, history_file, results);
    const auto& result = check.result;

    nlohmann::json summary = {
        {"seed", options.seed},
        {"command", replay},
        {"cluster", cluster},
        {"profile", info.profile},
        {"run_time_s", std::chrono::duration<double>(elapsed).count()},
        {"interrupted", interrupted},
        {"operations",
         {{"invoked", counts.invoked},
          {"ok", counts.ok},
          {"fail", counts.fail},
          {"info", counts.info}}},
        {"ops_per_second",
         counts.invoked / std::max(1e-9, std::chrono::duration<double>(elapsed).count())},
        {"rate", rate.to_json(options.workload.ops)},
        {"latest_invocation_ms", counts.latest_invocation_ns / 1e6},
        {"faults", timings_json(timings)},
        {"scheduler_lateness", lateness_figures(timings)},
        {"availability", availability.to_json()},
        {"verdict", check.verdict},
        {"min_availability", options.min_availability ? nlohmann::json(*options.min_availability)
                                                      : nlohmann::json(nullptr)}};
    write_json_file(results / "summary.json", summary);

    char line[160];
    snprintf(line, sizeof line,
             "entropy: %.0fs, %llu operations (%llu ok, %llu fail, %llu info), %zu faults\n",
             std::chrono::duration<double>(elapsed).count(),
             static_cast<unsigned long long>(counts.invoked),
             static_cast<unsigned long long>(counts.ok),
             static_cast<unsigned long long>(counts.fail),
             static_cast<unsigned long long>(counts.info), timings.size());
    out << line;
    snprintf(line, sizeof line,
             "availability: %.3f during faults (%llu invoked), %.3f outside (%llu invoked)\n",
             availability.during_faults.ratio(),
             static_cast<unsigned long long>(availability.during_faults.invoked),
             availability.outside_faults.ratio(),
             static_cast<unsigned long long>(availability.outside_faults.invoked));
    out << line;
    if (!availability.ok_latencies_ns.empty()) {
        auto latency = availability.to_json()["ok_latency"];
        snprintf(line, sizeof line, "latency of ok operations: p50 %.2f ms, p99 %.2f ms\n",
                 latency["p50_ms"].get<double>(), latency["p99_ms"].get<double>());
        out << line;
    }
    out << check.text;
    try {
        write_report(results);
    } catch (const Error& error) {
        out << "warning: report: " << error.what() << "\n";
    }
    out << "results " << results.string() << " (report.html)\n";
    return {result, availability, counts, interrupted};
}

}  // namespace atomixtest
