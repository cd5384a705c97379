// scripts/bench's netem figures, on a cluster it set up (argv[1]): accuracy of
// the userspace driver's delay and drop, its throughput per core of CPU, and
// the latency the queue itself adds, each beside the same traffic without it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli_harness.hpp"
#include "udp_probe.hpp"

using namespace atomixtest::testing;

namespace {

std::string cluster;

std::string ns(int node) {
    return "/run/netns/atomix-test." + cluster + "." + std::to_string(node);
}

void fault(const std::vector<std::string>& command) {
    std::vector<std::string> args = {"cluster", cluster};
    args.insert(args.end(), command.begin(), command.end());
    auto result = cli(args);
    if (result.exit_code != 0) {
        std::cerr << "netem_bench: " << result.err;
        std::exit(1);
    }
}

double mean(const std::vector<double>& values) {
    double sum = 0;
    for (double v : values) sum += v;
    return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

double stddev(const std::vector<double>& values) {
    double m = mean(values), squares = 0;
    for (double v : values) squares += (v - m) * (v - m);
    return values.empty() ? 0 : std::sqrt(squares / static_cast<double>(values.size()));
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

// CPU seconds the node's netem daemon has used so far.
double daemon_cpu_seconds() {
    for (int pid : processes_running("atomixtest-netem")) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), {});
        auto fields = text.substr(text.rfind(')') + 2);
        std::istringstream in(fields);
        std::string skip;
        for (int i = 0; i < 11; ++i) in >> skip;
        double user = 0, system = 0;
        in >> user >> system;
        return (user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: netem_bench CLUSTER\n";
        return 2;
    }
    cluster = argv[1];
    auto ip2 = node_ip(cluster, 2);
    auto base = udp_probe(ns(1), ns(2), ip2, 2000, std::chrono::microseconds(500));
    double base_mean = mean(base.latency_ms);

    std::printf("== userspace netem accuracy (UDP, node 1 -> node 2, one-way)\n");
    for (int latency : {50, 200}) {
        fault({"delay", "1", "--latency", std::to_string(latency), "--jitter", "10",
               "--correlation", "0"});
        auto probe = udp_probe(ns(1), ns(2), ip2, 2000, std::chrono::microseconds(500));
        double added = mean(probe.latency_ms) - base_mean;
        double spread = stddev(probe.latency_ms);
        std::printf(
            "  delay %3d ms jitter 10 ms: added %7.2f ms (%+.1f%%, target within 5%%), "
            "stddev %5.2f ms (%+.1f%% of 10, target within 10%%)\n",
            latency, added, 100 * (added - latency) / latency, spread, 10 * (spread - 10));
        fault({"restore", "1"});
    }
    for (double probability : {0.02, 0.10}) {
        fault({"drop", "1", "--probability", std::to_string(probability), "--correlation", "0"});
        auto probe = udp_probe(ns(1), ns(2), ip2, 10000, std::chrono::microseconds(50));
        double lost = 1 - static_cast<double>(probe.distinct()) / probe.sent;
        std::printf("  drop %4.1f%%: lost %5.2f%% of %d (%+.2f points, target within 1)\n",
                    probability * 100, lost * 100, probe.sent, 100 * (lost - probability));
        fault({"restore", "1"});
    }

    std::printf("== userspace netem queue, no fault set (latency 0, jitter 0)\n");
    auto quiet = udp_probe(ns(1), ns(2), ip2, 5000, std::chrono::microseconds(100));
    fault({"delay", "1", "--latency", "0", "--jitter", "0"});
    auto queued = udp_probe(ns(1), ns(2), ip2, 5000, std::chrono::microseconds(100));
    std::printf(
        "  one-way latency p50 / p99: no queue %.3f / %.3f ms, through the queue "
        "%.3f / %.3f ms\n",
        percentile(quiet.latency_ms, .5), percentile(quiet.latency_ms, .99),
        percentile(queued.latency_ms, .5), percentile(queued.latency_ms, .99));
    double cpu_before = daemon_cpu_seconds();
    auto start = std::chrono::steady_clock::now();
    auto flood = udp_probe(ns(1), ns(2), ip2, 200000, std::chrono::microseconds(0));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - 1.0;
    double cpu = daemon_cpu_seconds() - cpu_before;
    std::printf(
        "  throughput: %d of %d packets through in %.2f s = %.0f packets/s; daemon CPU "
        "%.2f s = %.0f packets/s per core (target >= 20000)\n",
        flood.distinct(), flood.sent, seconds, flood.distinct() / seconds, cpu,
        cpu > 0 ? flood.distinct() / cpu : 0.0);
    fault({"restore", "1"});
    return 0;
}
