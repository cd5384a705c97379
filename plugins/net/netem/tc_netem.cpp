#include "tc_netem.hpp"

#include <cstdio>

namespace atomixtest::net {

namespace {

constexpr int kEveryPeerClass = 0xfff;  // the htb default: packets no filter matched

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%g%%", fraction * 100);
    return text;
}

std::string microseconds(std::chrono::nanoseconds duration) {
    return std::to_string(duration.count() / 1000) + "us";
}

std::string hex(int value) {
    char text[16];
    std::snprintf(text, sizeof text, "%x", value);
    return text;
}

void add_chance(std::vector<std::string>& argv, const char* word, const CorrelatedChance& chance,
                bool with_correlation = true) {
    if (chance.probability <= 0) return;
    argv.push_back(word);
    argv.push_back(percent(chance.probability));
    if (with_correlation && chance.correlation > 0) argv.push_back(percent(chance.correlation));
}

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    return text;
}

// One class of the tree: htb's class (unlimited: the shaping is the
// leaves'), a tbf for the rate, netem under it for the rest.
std::string class_lines(const std::string& dev, int id, const NetemSpec& spec) {
    std::string klass = "1:" + hex(id);
    std::string lines =
        "class add " + dev + " parent 1: classid " + klass + " htb rate 100gbit quantum 60000\n";
    std::string netem_parent = klass;
    if (spec.rate.bits_per_second > 0) {
        std::string handle = hex(0x1000 + id);
        lines += "qdisc add " + dev + " parent " + klass + " handle " + handle + ": tbf rate " +
                 std::to_string(spec.rate.bits_per_second) + "bit burst " +
                 std::to_string(spec.rate.burst_bytes) + " latency " +
                 microseconds(spec.rate.latency) + "\n";
        netem_parent = handle + ":1";
    }
    auto words = netem_words(spec);
    if (!words.empty()) {
        lines += "qdisc add " + dev + " parent " + netem_parent + " handle " + hex(0x2000 + id) +
                 ": netem " + joined(words) + "\n";
    }
    return lines;
}

}  // namespace

std::vector<std::string> netem_words(const NetemSpec& spec) {
    std::vector<std::string> argv;
    auto latency = spec.delay_latency();
    if (latency.count() > 0 || spec.jitter.count() > 0) {
        argv.insert(argv.end(), {"delay", microseconds(latency)});
        if (spec.jitter.count() > 0) {
            argv.push_back(microseconds(spec.jitter));
            if (spec.delay_correlation > 0) argv.push_back(percent(spec.delay_correlation));
            argv.insert(argv.end(), {"distribution", spec.distribution});
        }
    }
    add_chance(argv, "loss", spec.loss);
    add_chance(argv, "duplicate", spec.duplicate);
    add_chance(argv, "reorder", spec.reorder);
    add_chance(argv, "corrupt", spec.corrupt, false);
    return argv;
}

std::string tc_tree_script(const std::string& interface, const Shaping& shaping) {
    std::string dev = "dev " + interface;
    std::string classes, filters;
    auto every_peer = kernel_part(shaping.all, shaping.kernel);
    if (!every_peer.empty()) classes += class_lines(dev, kEveryPeerClass, every_peer);
    for (const auto& peer : shaping.peers) {
        // A peer is a class of its own only for kernel settings of its own;
        // otherwise it stays in the default class (and its bucket).
        if (kernel_part(peer.own, shaping.kernel).empty()) continue;
        classes += class_lines(dev, peer.node, kernel_part(shaping.for_peer(peer), shaping.kernel));
        for (const auto* ip : {&peer.ip, &peer.own_ip}) {
            if (ip->empty()) continue;
            filters += "filter add " + dev + " parent 1: protocol ip prio 1 u32 match ip dst " +
                       *ip + "/32 flowid 1:" + hex(peer.node) + "\n";
        }
    }
    if (classes.empty()) return "";
    return "qdisc add " + dev + " root handle 1: htb default " + hex(kEveryPeerClass) + "\n" +
           classes + filters;
}

std::vector<std::string> tc_tree_command(const std::string& interface, const std::string& script) {
    std::string removal = "tc qdisc del dev " + interface + " root 2>/dev/null";
    if (script.empty()) return {"sh", "-c", removal + "; true"};
    return {"sh", "-c", removal + "; exec tc -batch -"};
}

std::vector<std::string> tc_netem_probe() {
    return {"sh", "-c", "tc qdisc add dev lo root netem delay 0ms && tc qdisc del dev lo root"};
}

std::vector<std::string> tc_rate_probe() {
    return {"sh", "-c",
            "tc qdisc add dev lo root handle 1: htb default 1 && "
            "tc class add dev lo parent 1: classid 1:1 htb rate 100gbit quantum 60000 && "
            "tc qdisc add dev lo parent 1:1 handle 10: tbf rate 1mbit burst 32kb latency 50ms && "
            "tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dst 127.0.0.2/32 "
            "flowid 1:1; status=$?; tc qdisc del dev lo root; exit $status"};
}

}  // namespace atomixtest::net
