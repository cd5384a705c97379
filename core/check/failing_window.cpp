#include "check/failing_window.hpp"

#include <algorithm>
#include <chrono>

namespace atomixtest {

namespace {

constexpr size_t kPrefixTail = 5;
constexpr size_t kStartsTried = 32;  // points of the prefix tried, latest first
constexpr int kMaxSearches = 4000;   // for shrinking; each is a search of the window
// A probe of a subset may be as hard as the whole key (open-ended info
// operations multiply the orders to try): each gets a bounded time, so one hard
// subset costs a second, not the rest of the check's time.
constexpr auto kProbeBudget = std::chrono::seconds(1);
constexpr uint64_t kPlainSteps = 20000;

class WindowProbe {
  public:
    WindowProbe(const PartitionInput& input, StateSpace& space, const SearchLimits& limits)
        : input_(input), space_(space), limits_(limits) {}

    // NotLinearizable, Linearizable, or Unknown when out of time or searches.
    Verdict check(const std::vector<uint32_t>& keep, int64_t initial) {
        if (++searches_ > kMaxSearches || limits_.passed()) return Verdict::Unknown;
        auto part = restrict_partition(input_, keep, initial);
        SearchLimits probe_limits = limits_;
        probe_limits.at = std::min(limits_.at, std::chrono::steady_clock::now() + kProbeBudget);
        return search_linearization(part, space_, probe_limits).verdict;
    }

  private:
    const PartitionInput& input_;
    StateSpace& space_;
    const SearchLimits& limits_;
    int searches_ = 0;
};

}  // namespace

std::optional<WindowFound> find_failing_window(const PartitionInput& input,
                                               const SearchOutcome& outcome, StateSpace& space,
                                               const SearchLimits& limits) {
    auto n = static_cast<uint32_t>(input.ops.size());
    WindowProbe probe(input, space, limits);
    // The look-ahead of keys with appends backtracks before the longest
    // linearizable prefix is reached; a search without it finds that prefix,
    // when it can in a few times the steps the verdict took (else the
    // look-ahead's prefix will do: its window is as small, only later).
    const SearchOutcome* found = &outcome;
    SearchOutcome plain;
    if (n > 0) {
        SearchLimits without = limits;
        without.look_ahead = SearchLimits::LookAhead::Never;
        without.at = std::min(limits.at, std::chrono::steady_clock::now() + kProbeBudget);
        without.max_steps = std::max<uint64_t>(kPlainSteps, 4 * outcome.steps);
        plain = search_linearization(input, space, without);
        if (plain.verdict == Verdict::NotLinearizable) found = &plain;
    }
    // The states along the longest linearization (each step succeeded in the search).
    std::vector<uint32_t> prefix = found->deepest;
    std::vector<int64_t> states{input.initial};
    for (auto op : prefix) {
        int64_t next = 0;
        if (!step(states.back(), input.ops[op], space, next)) break;
        states.push_back(next);
    }
    prefix.resize(states.size() - 1);
    std::vector<size_t> position(n, SIZE_MAX);
    for (size_t i = 0; i < prefix.size(); ++i) position[prefix[i]] = i;
    // Operations invoked after the completion the search could not pass are
    // not needed to show that it could not.
    uint64_t cut = found->stuck < n ? input.ret[found->stuck] : kNever;

    std::optional<size_t> chosen;
    std::vector<uint32_t> keep;
    std::vector<size_t> starts;
    for (size_t k = prefix.size() + 1; k-- > 0 && starts.size() < kStartsTried;)
        starts.push_back(k);
    if (starts.back() != 0) starts.push_back(0);
    for (auto k : starts) {
        keep.clear();
        for (uint32_t i = 0; i < n; ++i) {
            if (input.call[i] <= cut && !(position[i] < k)) keep.push_back(i);
        }
        auto verdict = probe.check(keep, states[k]);
        // Undecided here: the earlier starts keep more operations, so are harder
        // still; the whole key, known not to be linearizable, is the window.
        if (verdict == Verdict::Unknown) break;
        if (verdict == Verdict::NotLinearizable) {
            chosen = k;
            break;
        }
    }
    if (!chosen) {  // the cut did not hold: the whole partition is the window
        chosen = 0;
        keep.resize(n);
        for (uint32_t i = 0; i < n; ++i) keep[i] = i;
    }
    auto initial = states[*chosen];
    // Delta debugging: drop chunks, then halves of them, while still not linearizable.
    for (size_t chunk = std::max<size_t>(keep.size() / 2, 1); chunk >= 1; chunk /= 2) {
        for (size_t at = 0; at < keep.size() && keep.size() > 1;) {
            std::vector<uint32_t> trial(keep.begin(), keep.begin() + static_cast<long>(at));
            trial.insert(trial.end(),
                         keep.begin() + static_cast<long>(std::min(at + chunk, keep.size())),
                         keep.end());
            auto verdict = trial.empty() ? Verdict::Linearizable : probe.check(trial, initial);
            if (verdict == Verdict::Unknown) break;
            if (verdict == Verdict::NotLinearizable) {
                keep = std::move(trial);
            } else {
                at += chunk;
            }
        }
        if (chunk == 1) break;
    }
    WindowFound window;
    window.prefix_length = *chosen;
    window.state = initial;
    for (size_t i = *chosen > kPrefixTail ? *chosen - kPrefixTail : 0; i < *chosen; ++i) {
        window.prefix_tail.push_back(prefix[i]);
    }
    window.operations = keep;
    return window;
}

}  // namespace atomixtest
