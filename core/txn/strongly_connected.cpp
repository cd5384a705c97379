#include "txn/strongly_connected.hpp"

#include <algorithm>
#include <numeric>

namespace atomixtest::txn {

StronglyConnected::StronglyConnected(const DependencyGraph& graph)
    : graph_(graph), local_(graph.vertices, kNone) {}

std::vector<std::vector<uint32_t>> StronglyConnected::components(uint8_t mask) {
    std::vector<uint32_t> all(graph_.vertices);
    std::iota(all.begin(), all.end(), 0u);
    return components(all, mask);
}

template <typename OnComponent>
void StronglyConnected::tarjan(const std::vector<uint32_t>& vertices, uint8_t mask,
                               OnComponent on_component) {
    auto n = static_cast<uint32_t>(vertices.size());
    for (uint32_t i = 0; i < n; ++i) local_[vertices[i]] = i;
    std::vector<uint32_t> index(n, kNone), low(n, 0), stack, component;
    std::vector<uint8_t> on_stack(n, 0);
    struct Frame {
        uint32_t vertex;  // local
        uint32_t next;    // the next out-edge to look at
    };
    std::vector<Frame> frames;
    uint32_t counter = 0;
    auto enter = [&](uint32_t v) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        on_stack[v] = 1;
        frames.push_back({v, graph_.offsets[vertices[v]]});
    };
    for (uint32_t root = 0; root < n; ++root) {
        if (index[root] != kNone) continue;
        enter(root);
        while (!frames.empty()) {
            auto& frame = frames.back();
            auto v = frame.vertex;
            auto end = graph_.offsets[vertices[v] + 1];
            bool descended = false;
            while (frame.next < end) {
                auto e = frame.next++;
                if (!(graph_.bits[e] & mask)) continue;
                auto w = local_[graph_.targets[e]];
                if (w == kNone) continue;
                if (index[w] == kNone) {
                    enter(w);  // invalidates `frame`
                    descended = true;
                    break;
                }
                if (on_stack[w]) low[v] = std::min(low[v], index[w]);
            }
            if (descended) continue;
            if (low[v] == index[v]) {
                component.clear();
                uint32_t w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[w] = 0;
                    component.push_back(w);
                } while (w != v);
                on_component(component);
            }
            frames.pop_back();
            if (!frames.empty()) {
                auto parent = frames.back().vertex;
                low[parent] = std::min(low[parent], low[v]);
            }
        }
    }
    for (auto v : vertices) local_[v] = kNone;
}

std::vector<std::vector<uint32_t>> StronglyConnected::components(
    const std::vector<uint32_t>& vertices, uint8_t mask) {
    std::vector<std::vector<uint32_t>> found;
    tarjan(vertices, mask, [&](const std::vector<uint32_t>& component) {
        if (component.size() < 2) return;
        found.emplace_back();
        for (auto local : component) found.back().push_back(vertices[local]);
    });
    return found;
}

uint32_t StronglyConnected::label(const std::vector<uint32_t>& vertices, uint8_t mask,
                                  std::vector<uint32_t>& label) {
    label.assign(vertices.size(), kNone);
    uint32_t count = 0;
    tarjan(vertices, mask, [&](const std::vector<uint32_t>& component) {
        for (auto local : component) label[local] = count;
        ++count;
    });
    return count;
}

}  // namespace atomixtest::txn
