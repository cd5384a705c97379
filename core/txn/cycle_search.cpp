#include "txn/cycle_search.hpp"

#include <algorithm>

#include "txn/cycle_bfs.hpp"
#include "txn/single_rw_search.hpp"
#include "txn/strongly_connected.hpp"

namespace atomixtest::txn {

namespace {

// The searches, most severe first, as Elle orders them: data cycles, then
// those that need process order, then real-time order.
std::vector<WitnessSpec> witness_specs() {
    std::vector<WitnessSpec> specs;
    const uint8_t all = kWw | kWr | kRw;
    for (auto variant : {CycleVariant::Data, CycleVariant::Process, CycleVariant::Realtime}) {
        uint8_t extra = variant == CycleVariant::Data      ? 0
                        : variant == CycleVariant::Process ? kProcess
                                                           : kRealtime;
        auto target = [&](int kind) { return cycle_class(kind, variant); };
        if (variant == CycleVariant::Data) {
            specs.push_back({target(0), kWw, kWw, RwRule::Any});
            specs.push_back({target(1), kWr, kWw | kWr, RwRule::Any});
            specs.push_back({target(2), kRw, kWw | kWr, RwRule::Any});
            specs.push_back({target(3), kRw, all, RwRule::Nonadjacent});
            specs.push_back({target(4), kRw, all, RwRule::Any});
        } else {
            // The order edge is the one the class needs; start from it.
            uint8_t path_g0 = kWw | extra;
            specs.push_back({target(0), extra, path_g0, RwRule::Any});
            specs.push_back(
                {target(1), extra, static_cast<uint8_t>(kWw | kWr | extra), RwRule::Any});
            specs.push_back(
                {target(2), extra, static_cast<uint8_t>(all | extra), RwRule::ExactlyOne});
            specs.push_back(
                {target(3), extra, static_cast<uint8_t>(all | extra), RwRule::Nonadjacent});
            specs.push_back({target(4), extra, static_cast<uint8_t>(all | extra), RwRule::Any});
        }
    }
    return specs;
}

// A closed walk split into simple cycles at its repeated transactions.
std::vector<std::vector<CycleStep>> simple_cycles(const std::vector<CycleStep>& walk) {
    std::vector<std::vector<CycleStep>> cycles;
    std::vector<CycleStep> stack;
    for (const auto& step : walk) {
        auto again = std::find_if(stack.begin(), stack.end(),
                                  [&](const CycleStep& s) { return s.txn == step.txn; });
        if (again != stack.end()) {
            cycles.emplace_back(again, stack.end());
            stack.erase(again, stack.end());
        }
        stack.push_back(step);
    }
    cycles.push_back(std::move(stack));
    return cycles;
}

struct SpecOutcome {
    std::vector<CycleStep> walk;  // the shortest found, empty if none
    bool exhausted = false;
};

SpecOutcome search_spec(const DependencyGraph& graph, StronglyConnected& scc,
                        const std::vector<uint32_t>& component, const WitnessSpec& spec,
                        uint64_t budget, std::vector<uint32_t>& local) {
    SpecOutcome outcome;
    uint64_t visits = 0;
    auto parts = scc.components(component, static_cast<uint8_t>(spec.start | spec.path));
    std::sort(parts.begin(), parts.end(),
              [](const auto& a, const auto& b) { return a.size() < b.size(); });
    bool single_rw = spec.start == kRw && spec.path == (kWw | kWr);
    for (const auto& part : parts) {
        if (single_rw) {
            // Only an rw edge whose target reaches its source by ww and wr closes one.
            auto edge =
                find_closing_rw_edge(graph, scc, part, local, budget, visits, outcome.exhausted);
            if (!edge) continue;
            WitnessBfs bfs(graph, part, spec, local);
            outcome.walk = bfs.search(edge->first, edge->second, kRw, SIZE_MAX, visits);
            return outcome;
        }
        WitnessBfs bfs(graph, part, spec, local);
        for (auto u : part) {
            for (auto e = graph.offsets[u]; e < graph.offsets[u + 1]; ++e) {
                uint8_t start = graph.bits[e] & spec.start;
                if (!start || !bfs.member(graph.targets[e])) continue;
                for (uint8_t bit = 1; bit && bit <= start; bit = static_cast<uint8_t>(bit << 1)) {
                    if (!(start & bit)) continue;
                    auto limit = outcome.walk.empty() ? SIZE_MAX : outcome.walk.size();
                    auto walk = bfs.search(u, graph.targets[e], bit, limit, visits);
                    if (!walk.empty()) outcome.walk = std::move(walk);
                    if (outcome.walk.size() == 2) return outcome;  // none is shorter
                    if (visits > budget) {
                        outcome.exhausted = outcome.walk.empty();
                        return outcome;
                    }
                }
            }
        }
        if (!outcome.walk.empty()) return outcome;
    }
    return outcome;
}

}  // namespace

AnomalyClass classify(const std::vector<CycleStep>& steps) {
    int count[32] = {};
    bool adjacent_rw = false;
    for (size_t i = 0; i < steps.size(); ++i) {
        ++count[steps[i].bit];
        const auto& next = steps[(i + 1) % steps.size()];
        adjacent_rw |= steps[i].bit == kRw && next.bit == kRw;
    }
    int kind = count[kRw] == 1  ? 2
               : count[kRw] > 1 ? (adjacent_rw ? 4 : 3)
               : count[kWr] > 0 ? 1
                                : 0;
    auto variant = count[kRealtime] > 0  ? CycleVariant::Realtime
                   : count[kProcess] > 0 ? CycleVariant::Process
                                         : CycleVariant::Data;
    return cycle_class(kind, variant);
}

CycleSearchResult find_cycles(const DependencyGraph& graph, const CycleSearchLimits& limits) {
    CycleSearchResult result;
    StronglyConnected scc(graph);
    std::vector<uint32_t> local(graph.vertices, kNone);
    static const auto specs = witness_specs();
    for (const auto& component : scc.components(graph.present)) {
        ++result.components;
        result.largest_component = std::max(result.largest_component, component.size());
        uint64_t edges = 0;
        for (auto v : component) edges += graph.offsets[v + 1] - graph.offsets[v];
        uint64_t budget = limits.floor + limits.per_edge * edges;
        AnomalySet covered = 0;  // found here, or implied by what was
        for (const auto& spec : specs) {
            if ((covered & bit(spec.target)) || !(graph.present & spec.start)) continue;
            auto outcome = search_spec(graph, scc, component, spec, budget, local);
            for (auto& steps : simple_cycles(outcome.walk)) {
                if (outcome.walk.empty()) break;
                auto type = classify(steps);
                if (covered & bit(type)) continue;
                covered |= implied_by(type);
                result.cycles.push_back({type, std::move(steps)});
            }
            if (outcome.exhausted && !(covered & bit(spec.target))) {
                result.undecided |= bit(spec.target);
            }
        }
    }
    return result;
}

}  // namespace atomixtest::txn
