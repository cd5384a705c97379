// scripts/bench's client figures: map put and get through the atomix plugin,
// loaded by the plugin host as the CLI loads it, against a node's LOCAL PORT
// (argv[1]), argv[2] times each. Prints "put P50 P99" and "get P50 P99" in ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "build_paths.hpp"
#include "plugin_host/plugin_host.hpp"

namespace {

double percentile(std::vector<double> samples, double p) {
    std::sort(samples.begin(), samples.end());
    return samples[static_cast<size_t>(p * static_cast<double>(samples.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: atomix_bench LOCAL_PORT COUNT\n");
        return 2;
    }
    atomixtest::PluginHost host({atomixtest::testing::plugin_dir()});
    auto client = host.client("atomix");
    atomixtest::Endpoint endpoint{.port = std::stoi(argv[1])};
    int count = std::stoi(argv[2]);
    for (const char* verb : {"map.put", "map.get"}) {
        std::vector<double> samples;
        for (int i = 0; i < count; ++i) {
            nlohmann::json params = {{"map", "bench"}, {"key", "k" + std::to_string(i % 100)}};
            if (std::string(verb) == "map.put") params["value"] = "v" + std::to_string(i);
            auto start = std::chrono::steady_clock::now();
            client->invoke(verb, params, endpoint);
            samples.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
        }
        std::printf("%s %.3f %.3f\n", std::string(verb).substr(4).c_str(), percentile(samples, 0.5),
                    percentile(samples, 0.99));
    }
    return 0;
}
