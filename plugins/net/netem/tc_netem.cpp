#include "tc_netem.hpp"

#include <cstdio>

namespace atomixtest::net {

namespace {

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%g%%", fraction * 100);
    return text;
}

std::string microseconds(std::chrono::nanoseconds duration) {
    return std::to_string(duration.count() / 1000) + "us";
}

void add_chance(std::vector<std::string>& argv, const char* word, const CorrelatedChance& chance,
                bool with_correlation = true) {
    if (chance.probability <= 0) return;
    argv.push_back(word);
    argv.push_back(percent(chance.probability));
    if (with_correlation && chance.correlation > 0) argv.push_back(percent(chance.correlation));
}

}  // namespace

std::vector<std::string> tc_netem_command(const std::string& interface, const NetemSpec& spec) {
    std::vector<std::string> argv = {"tc", "qdisc", "replace", "dev", interface, "root", "netem"};
    if (spec.latency.count() > 0 || spec.jitter.count() > 0) {
        argv.insert(argv.end(), {"delay", microseconds(spec.latency)});
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

std::vector<std::string> tc_netem_removal(const std::string& interface) {
    return {"tc", "qdisc", "del", "dev", interface, "root"};
}

std::vector<std::string> tc_netem_probe() {
    return {"sh", "-c", "tc qdisc add dev lo root netem delay 0ms && tc qdisc del dev lo root"};
}

}  // namespace atomixtest::net
