// The entropy functions of the original tool, as written after `atomix-test
// entropy [OPTIONS]`: crash, partition, stress, restart and membership, and
// Jepsen's pause, each with its own delay between invocations and the period
// its fault stays; clock, a node's wall clock bumped, strobed or run at a
// rate; and
// `fault PLUGIN.VERB`, any scoped verb of any fault plugin (a plugin of one's
// own too), its params given as the CLI gives them: `fault priority.lower
// --node random --nice 19 10s 20s --period 5s`.
// One stress option or partition type is one function, as in the original:
// `stress --network 500ms --cpu 2` makes two functions that run independently;
// `stress --network --rate 1mbit` throttles instead of delaying, and
// `--network 500ms --rate 1mbit` makes both functions; so is one clock option:
// `clock --bump -5s --strobe --random 10s`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atomixtest/duration.hpp"

namespace atomixtest {

// A uniform random duration in [min, max]; min == max is a fixed one.
struct DurationRange {
    Duration min{};
    Duration max{};
};

enum class FunctionKind {
    Crash,             // kill a random node (--majority: more than half), recover it after
                       // the period (--lose-unfsynced: what it never synced is lost;
                       // --lag: the nodes left are cut off for a while before)
    Pause,             // freeze a random node (or every node), resume it after the period
    PartitionRandom,   // cut a random pair of nodes from each other
    PartitionIsolate,  // cut a random node from every other
    PartitionHalves,   // two halves in node id order
    PartitionBridge,   // two halves and a random bridge node that sees both
    PartitionRing,     // Jepsen's majorities ring, in an order drawn from the seed
    PartitionLeader,   // the current leader cut from every other node
    StressNetwork,     // latency on a random node (or every node)
    StressRate,        // a bandwidth on a random node (or every node)
    StressCpu,
    StressIo,
    StressMemory,
    Restart,      // every node killed, then every node recovered
    Membership,   // a server added, removed after the period
    ClockBump,    // a node's wall clock jumps by `offset` (clock.bump)
    ClockStrobe,  // ... flips back and forth for the period (clock.strobe)
    ClockRate,    // ... runs at `clock_rate` times real time (clock.rate)
    Fault,        // a plugin's verb with its params, undone after the period
};

struct EntropyFunction {
    FunctionKind kind = FunctionKind::Crash;
    DurationRange delay;          // before each invocation
    DurationRange period;         // how long the fault stays (none for restart)
    bool all_nodes = false;       // stress --all, pause --all: every node at once
    bool lose_unfsynced = false;  // crash/restart --lose-unfsynced: unsynced writes go too
    bool majority = false;        // crash --majority: a random majority of the nodes at once
    // crash --majority --lag L [L]: the nodes the majority leaves out are
    // cut off for L before it is killed, and reconnected once it is down, so
    // the majority alone holds the writes it acknowledged meanwhile (a
    // minority that is slow or cut off). Without it a crash of a majority
    // loses nothing the survivors do not hold in memory.
    std::optional<DurationRange> lag;
    int workers = 0;        // stress --cpu/--io/--memory N
    Duration latency{};     // stress --network LATENCY
    int64_t rate = 0;       // stress --network --rate RATE, in bits per second
    Duration offset{};      // clock --bump OFFSET (negative: back)
    double clock_rate = 0;  // clock --rate RATE
    std::string verb;       // fault: PLUGIN.VERB
    // fault: its params as written (--name value), typed by the verb's
    // declaration when the run checks them.
    std::vector<std::pair<std::string, std::string>> params;

    // How a person would write it back, e.g. "crash 15s 30s --random 30s".
    std::string describe() const;
    // "--bump -5s", "--strobe", "--rate 2": a clock function's option.
    std::string clock_option() const;
    nlohmann::json to_json() const;
};

// The defaults of the original tool: 15s to 30s between invocations, and a
// fault held 15s to 30s.
DurationRange default_entropy_delay();
DurationRange default_entropy_period();

// Parses the words from the first function name on. Throws Error(BadInput)
// naming the offending word: an unknown function or option, MIN above MAX, a
// malformed duration, a worker count that is not a positive integer, a
// clock rate outside 0.01 to 100.
std::vector<EntropyFunction> parse_entropy_functions(const std::vector<std::string>& words);

bool is_entropy_function_name(const std::string& word);
std::vector<std::string> entropy_function_names();

// Whether the functions need the nodes' data dirs on lazy disks (the disk
// plugin): --lose-unfsynced, or a disk.* verb. A run that sets its own
// cluster up then asks for them, and one that does not pays nothing.
bool wants_lazy_disk(const std::vector<EntropyFunction>& functions);

}  // namespace atomixtest
