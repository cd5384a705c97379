#include "node_change.hpp"

#include <time.h>

#include <cstdlib>
#include <thread>

#include "atomixtest/error.hpp"
#include "clock_change.hpp"
#include "node_clock.hpp"

namespace atomixtest::clock {

namespace {

// How far apart the two reads that show a rate are: long enough for their
// own spread (a few hundred microseconds on a loaded machine) to be well
// under a percent of it. The process runs meanwhile.
constexpr auto kRateSpan = std::chrono::milliseconds(100);

// How far the machine's clock may move against its boot clock during a
// change (NTP's slewing moves it by microseconds).
constexpr int64_t kHostStepNs = 5000000;

// This machine's wall clock against its boot clock: a step of the host's
// clock (by anyone) changes it.
int64_t host_clock_step() {
    timespec real{}, boot{};
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return (real.tv_sec - boot.tv_sec) * 1000000000LL + (real.tv_nsec - boot.tv_nsec);
}

std::string describe(int node, const std::vector<ProcessProof>& proofs) {
    const auto& main = proofs.front();
    auto text = "node " + std::to_string(node) + ": " + main.command + " (pid " +
                std::to_string(main.pid) + ") " + main.proof.describe();
    if (proofs.size() > 1) text += ", and " + std::to_string(proofs.size() - 1) + " more processes";
    return text;
}

}  // namespace

NodeChange change_node(int node, const std::vector<pid_t>& processes,
                       const nlohmann::json& change) {
    auto update = update_of(change);
    auto host_before = host_clock_step();
    auto proofs = change_node_clock(node, processes, update);
    if (change.value("op", "") == "rate") {
        // A second read of the main process, a while later and without
        // holding it meanwhile, shows how fast its clock runs.
        std::this_thread::sleep_for(kRateSpan);
        auto& main = proofs.front();
        main.proof.rate_seen = rate_between(main.proof, read_process_time(main.pid));
    }
    if (std::llabs(host_clock_step() - host_before) > kHostStepNs) {
        throw Error(ErrorKind::Unavailable,
                    "the clock of node " + std::to_string(node) + "'s machine stepped meanwhile");
    }
    NodeChange done{describe(node, proofs), {}};
    for (const auto& proof : proofs) {
        if (auto clock = read_process_clock(proof.pid)) {
            done.targets.push_back({proof.pid, clock->selector_address()});
        }
    }
    return done;
}

nlohmann::json targets_json(const std::vector<StrobeTarget>& targets) {
    auto json = nlohmann::json::array();
    for (const auto& target : targets) {
        json.push_back({{"pid", target.pid}, {"selector", target.selector}});
    }
    return json;
}

std::vector<StrobeTarget> targets_from(const nlohmann::json& json) {
    std::vector<StrobeTarget> targets;
    for (const auto& target : json) {
        targets.push_back({target.at("pid").get<pid_t>(), target.at("selector").get<uint64_t>()});
    }
    return targets;
}

}  // namespace atomixtest::clock
