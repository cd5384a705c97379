#include "atomixtest/readiness.hpp"

#include <algorithm>
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
    std::vector<int> not_ready;
    // Whether a node has exited is read from its backend's state, dearer than
    // a probe: asked every 200 ms, not every pass.
    auto next_exit_check = clock::now();
    while (!waiting.empty() && clock::now() < deadline) {
        throw_if_interrupted("set-up, waiting for the nodes");
        bool check_exits = clock::now() >= next_exit_check;
        if (check_exits) next_exit_check = clock::now() + std::chrono::milliseconds(200);
        std::vector<std::pair<ProbeTarget, size_t>> still;
        for (auto& [target, step] : waiting) {
            while (step < steps.size() && answers(steps[step], target.port)) ++step;
            if (step == steps.size()) continue;
            if (check_exits && target.exited && target.exited()) {
                not_ready.push_back(target.node);
            } else {
                still.emplace_back(std::move(target), step);
            }
        }
        waiting = std::move(still);
        if (!waiting.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (const auto& [target, step] : waiting) not_ready.push_back(target.node);
    std::sort(not_ready.begin(), not_ready.end());
    return not_ready;
}

void require_ready(const std::string& cluster, const ReadinessProbe& probe,
                   const std::vector<ProbeTarget>& targets,
                   const std::function<std::string(int node)>& log_of) {
    auto late = wait_until_ready(probe, targets);
    if (late.empty()) return;
    std::string ids;
    for (int id : late) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    std::string tail;
    try {
        tail = log_of(late.front());
    } catch (const Error& error) {
        tail = std::string("(no log: ") + error.what() + ")";
    }
    if (tail.size() > 2000) tail = "..." + tail.substr(tail.size() - 2000);
    throw Error(ErrorKind::Environment, "node(s) " + ids + " of " + cluster + " not ready within " +
                                            std::to_string(probe.timeout.count()) +
                                            " ms; the log of node " + std::to_string(late.front()) +
                                            " ends with:\n" + tail);
}

}  // namespace atomixtest
