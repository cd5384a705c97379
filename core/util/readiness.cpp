#include "atomixtest/readiness.hpp"

#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/interrupt.hpp"

namespace atomixtest {

namespace {

bool answers(const ProbeRequest& request, int port) {
    try {
        auto response =
            http_request({.method = request.method,
                          .url = "http://127.0.0.1:" + std::to_string(port) + request.path,
                          .body = request.body,
                          .timeout = std::chrono::milliseconds(1000)});
        return response.status == request.expect_status;
    } catch (const Error&) {
        return false;  // not answering yet
    }
}

}  // namespace

std::vector<int> wait_until_ready(const ReadinessProbe& probe,
                                  const std::vector<ProbeTarget>& targets) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + probe.timeout;
    std::vector<ProbeRequest> steps = {probe};
    steps.insert(steps.end(), probe.then.begin(), probe.then.end());
    // Each target's next step: one that answered is not asked again.
    std::vector<std::pair<ProbeTarget, size_t>> waiting;
    for (const auto& target : targets) waiting.emplace_back(target, 0);
    while (!waiting.empty() && clock::now() < deadline) {
        throw_if_interrupted("set-up, waiting for the nodes");
        std::vector<std::pair<ProbeTarget, size_t>> still;
        for (auto [target, step] : waiting) {
            while (step < steps.size() && answers(steps[step], target.port)) ++step;
            if (step < steps.size()) still.emplace_back(target, step);
        }
        waiting = std::move(still);
        if (!waiting.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::vector<int> not_ready;
    for (const auto& [target, step] : waiting) not_ready.push_back(target.node);
    return not_ready;
}

}  // namespace atomixtest
