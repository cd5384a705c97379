#include "txn/single_rw_search.hpp"

namespace atomixtest::txn {

namespace {

struct Candidate {
    uint32_t u, v;      // vertices
    uint32_t from, to;  // their components
};

// Clears `local` for the members on every way out.
struct LocalIndex {
    LocalIndex(const std::vector<uint32_t>& part, std::vector<uint32_t>& local)
        : part(part), local(local) {
        for (uint32_t i = 0; i < part.size(); ++i) local[part[i]] = i;
    }
    ~LocalIndex() {
        for (auto v : part) local[v] = kNone;
    }
    const std::vector<uint32_t>& part;
    std::vector<uint32_t>& local;
};

}  // namespace

std::optional<std::pair<uint32_t, uint32_t>> find_closing_rw_edge(
    const DependencyGraph& graph, StronglyConnected& scc, const std::vector<uint32_t>& part,
    std::vector<uint32_t>& local, uint64_t budget, uint64_t& visits, bool& exhausted) {
    const uint8_t forward = kWw | kWr;
    std::vector<uint32_t> component;
    auto count = scc.label(part, forward, component);
    LocalIndex index(part, local);
    std::vector<Candidate> candidates;
    for (uint32_t x = 0; x < part.size(); ++x) {
        auto u = part[x];
        for (auto e = graph.offsets[u]; e < graph.offsets[u + 1]; ++e) {
            ++visits;
            auto y = local[graph.targets[e]];
            if (!(graph.bits[e] & kRw) || y == kNone) continue;
            if (component[x] == component[y]) return std::pair{u, graph.targets[e]};
            // v can reach u only if u's component was numbered first.
            if (component[y] > component[x]) {
                candidates.push_back({u, graph.targets[e], component[x], component[y]});
            }
        }
    }
    // Members grouped by component, components in order: sinks first.
    std::vector<uint32_t> first(count + 1, 0), members(part.size());
    for (auto c : component) ++first[c + 1];
    for (uint32_t c = 0; c < count; ++c) first[c + 1] += first[c];
    std::vector<uint32_t> fill(first.begin(), first.end() - 1);
    for (uint32_t x = 0; x < part.size(); ++x) members[fill[component[x]]++] = x;
    std::vector<uint64_t> bits(count);
    for (size_t batch = 0; batch < candidates.size(); batch += 64) {
        if (visits > budget) {
            exhausted = true;
            return std::nullopt;
        }
        auto end = std::min(candidates.size(), batch + 64);
        std::fill(bits.begin(), bits.end(), 0);
        for (auto i = batch; i < end; ++i) bits[candidates[i].from] |= uint64_t{1} << (i - batch);
        for (uint32_t c = 0; c < count; ++c) {
            for (auto m = first[c]; m < first[c + 1]; ++m) {
                auto x = part[members[m]];
                for (auto e = graph.offsets[x]; e < graph.offsets[x + 1]; ++e) {
                    ++visits;
                    auto y = local[graph.targets[e]];
                    if (!(graph.bits[e] & forward) || y == kNone) continue;
                    if (component[y] != c) bits[c] |= bits[component[y]];
                }
            }
        }
        for (auto i = batch; i < end; ++i) {
            if (bits[candidates[i].to] & (uint64_t{1} << (i - batch))) {
                return std::pair{candidates[i].u, candidates[i].v};
            }
        }
    }
    return std::nullopt;
}

}  // namespace atomixtest::txn
