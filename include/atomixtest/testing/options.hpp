// The parameters of the test API, as designated-initializer structs whose
// defaults are the original tool's (atomixtest.Cluster, Network and Node in
// Python): `network.delay(2, {.latency = 200ms})`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

// create_cluster(profile, options).
struct ClusterOptions {
    int nodes = 3;
    std::string name;               // empty: a unique generated name
    std::string backend = "local";  // or "docker"
    double cpus = 0;                // per node, in cores (0: no limit)
    std::string memory;             // per node, e.g. "512m" (empty: no limit)
    std::string subnet;             // empty: the backend's default
    // Leave the cluster running when the Cluster goes, handed to the user:
    // `atomix-test cluster NAME teardown` removes it.
    bool keep = false;
    // Random choices (partition_random, a bridge or isolated node left out)
    // come from this seed; absent: drawn, and printed so a run can replay it.
    std::optional<uint64_t> seed;
};

// netem acts on the packets a node sends (see the README's "netem"). A field
// left unset takes the verb's own default, declared once by the net plugin
// (`atomix-test plugins` shows it): net.delay's latency is 50ms unless set.
struct DelayOptions {
    std::optional<std::chrono::milliseconds> latency;
    std::optional<std::chrono::milliseconds> jitter;
    std::optional<double> correlation;
    std::optional<std::string> distribution;  // normal, pareto, paretonormal, uniform
    std::vector<int> to;                      // only the packets to these peers (empty: all)
};

struct DropOptions {
    std::optional<double> probability;
    std::optional<double> correlation;
    std::vector<int> to;
};

struct ReorderOptions {
    std::optional<double> probability;
    std::optional<double> correlation;
    // netem reorders only against delayed packets: the delay of the others
    // when the node has none yet.
    std::optional<std::chrono::milliseconds> latency;
    std::vector<int> to;
};

struct DuplicateOptions {
    std::optional<double> probability;
    std::optional<double> correlation;
    std::vector<int> to;
};

struct CorruptOptions {
    std::optional<double> probability;
    std::vector<int> to;
};

// tbf's token bucket on a node's outgoing packets: `network.rate(1, {.rate = "1mbit"})`.
struct RateOptions {
    std::string rate;                                  // as tc writes it: "1mbit", "500kbit"
    std::optional<std::string> burst;                  // "32kb"
    std::optional<std::chrono::milliseconds> latency;  // the longest wait for the bucket
    std::vector<int> to;
};

// stress(node, timeout, cpu, io, memory, hdd): stress-ng workers inside the
// node (its namespace and cgroups). At least one kind of worker is needed.
struct StressOptions {
    std::optional<std::chrono::seconds> timeout;  // absent: until destress or the guard goes
    int cpu = 0;                                  // workers spinning on sqrt
    int io = 0;                                   // calling sync
    int memory = 0;                               // on malloc/free
    int hdd = 0;                                  // writing files on the node's disk
    std::string memory_bytes;  // what the memory workers share (e.g. "256m"); empty: default
};

}  // namespace atomixtest
