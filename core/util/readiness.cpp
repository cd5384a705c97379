#include "atomixtest/readiness.hpp"

#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/interrupt.hpp"

namespace atomixtest {

std::vector<int> wait_until_ready(const ReadinessProbe& probe,
                                  const std::vector<ProbeTarget>& targets) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + probe.timeout;
    std::vector<ProbeTarget> waiting = targets;
    while (!waiting.empty() && clock::now() < deadline) {
        throw_if_interrupted("set-up, waiting for the nodes");
        std::vector<ProbeTarget> still;
        for (const auto& target : waiting) {
            try {
                auto response = http_request(
                    {.method = probe.method,
                     .url = "http://127.0.0.1:" + std::to_string(target.port) + probe.path,
                     .body = probe.body,
                     .timeout = std::chrono::milliseconds(1000)});
                if (response.status == probe.expect_status) continue;
            } catch (const Error&) {
                // not answering yet
            }
            still.push_back(target);
        }
        waiting = std::move(still);
        if (!waiting.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::vector<int> not_ready;
    for (const auto& target : waiting) not_ready.push_back(target.node);
    return not_ready;
}

}  // namespace atomixtest
