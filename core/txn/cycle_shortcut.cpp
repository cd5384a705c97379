#include "txn/cycle_shortcut.hpp"

#include "txn/inference.hpp"

namespace atomixtest::txn {

namespace {

bool completed_before(const TxnHistory& history, uint32_t a, uint32_t b) {
    const auto& first = history.txns[a];
    return first.type == EventType::Ok && first.completed_at < history.txns[b].invoked_at;
}

}  // namespace

void shorten_by_realtime(Cycle& cycle, const TxnHistory& history) {
    for (bool shorter = true; shorter;) {
        shorter = false;
        auto& steps = cycle.steps;
        auto n = steps.size();
        // The longest stretch i -> ... -> j one real-time edge can replace.
        for (size_t skip = n - 1; skip >= 2 && !shorter; --skip) {
            for (size_t i = 0; i < n && !shorter; ++i) {
                auto j = (i + skip) % n;
                if (!completed_before(history, steps[i].txn, steps[j].txn)) continue;
                std::vector<CycleStep> candidate = {{steps[i].txn, kRealtime}};
                for (size_t k = j; k != i; k = (k + 1) % n) candidate.push_back(steps[k]);
                if (classify(candidate) != cycle.type) continue;
                steps = std::move(candidate);
                shorter = true;
            }
        }
    }
}

}  // namespace atomixtest::txn
