#include "txn/cycle_bfs.hpp"

#include <algorithm>

namespace atomixtest::txn {

namespace {

uint32_t state_count(RwRule rule) {
    switch (rule) {
        case RwRule::Any:
            return 1;
        case RwRule::ExactlyOne:
            return 2;  // rw edges so far: 0 or 1
        case RwRule::Nonadjacent:
            return 6;  // rw edges so far (0, 1, 2 or more) x the last edge was rw
    }
    return 1;
}

}  // namespace

WitnessBfs::WitnessBfs(const DependencyGraph& graph, const std::vector<uint32_t>& members,
                       const WitnessSpec& spec, std::vector<uint32_t>& local)
    : graph_(graph),
      members_(members),
      spec_(spec),
      states_(state_count(spec.rule)),
      local_(local),
      seen_(members.size() * states_, 0),
      parent_(members.size() * states_, kNone),
      via_(members.size() * states_, 0) {
    for (uint32_t i = 0; i < members.size(); ++i) local_[members[i]] = i;
}

WitnessBfs::~WitnessBfs() {
    for (auto v : members_) local_[v] = kNone;
}

uint32_t WitnessBfs::next_state(uint32_t state, uint8_t bit) const {
    bool rw = bit == kRw;
    switch (spec_.rule) {
        case RwRule::Any:
            return 0;
        case RwRule::ExactlyOne:
            return rw ? (state == 1 ? kNone : 1) : state;
        case RwRule::Nonadjacent: {
            uint32_t count = state / 2, last = state % 2;
            if (rw && last) return kNone;
            return rw ? std::min(count + 1, 2u) * 2 + 1 : count * 2;
        }
    }
    return kNone;
}

bool WitnessBfs::accepts(uint32_t state, uint8_t start_bit) const {
    switch (spec_.rule) {
        case RwRule::Any:
            return true;
        case RwRule::ExactlyOne:
            return state == 1;
        case RwRule::Nonadjacent:
            // The edge into u is followed by the start edge: not both rw.
            return state / 2 >= 2 && !(state % 2 == 1 && start_bit == kRw);
    }
    return false;
}

std::vector<CycleStep> WitnessBfs::search(uint32_t u, uint32_t v, uint8_t start_bit,
                                          size_t shorter_than, uint64_t& visits) {
    // The start edge counts as the first step of the automaton.
    uint32_t initial = spec_.rule == RwRule::Any ? 0 : next_state(0, start_bit);
    if (spec_.rule == RwRule::Nonadjacent && start_bit != kRw) initial = 0;
    if (++stamp_ == 0) {
        std::fill(seen_.begin(), seen_.end(), 0);
        stamp_ = 1;
    }
    auto slot = [&](uint32_t vertex, uint32_t state) { return local_[vertex] * states_ + state; };
    std::vector<uint32_t> frontier = {slot(v, initial)}, next;
    seen_[frontier[0]] = stamp_;
    parent_[frontier[0]] = kNone;
    // A walk of `depth` steps from v, plus the start edge, plus the edge into u.
    for (size_t depth = 0; !frontier.empty() && depth + 2 < shorter_than; ++depth) {
        next.clear();
        for (auto at : frontier) {
            auto vertex = members_[at / states_];
            auto state = at % states_;
            for (auto e = graph_.offsets[vertex]; e < graph_.offsets[vertex + 1]; ++e) {
                ++visits;
                uint8_t usable = graph_.bits[e] & spec_.path;
                auto target = graph_.targets[e];
                if (!usable || local_[target] == kNone) continue;
                for (uint8_t bit = 1; bit && bit <= usable; bit = static_cast<uint8_t>(bit << 1)) {
                    if (!(usable & bit)) continue;
                    auto state2 = next_state(state, bit);
                    if (state2 == kNone) continue;
                    if (target == u && accepts(state2, start_bit)) {
                        // Back to the start: unwind the parents.
                        std::vector<CycleStep> walk;
                        walk.push_back({vertex, bit});
                        for (auto back = at; parent_[back] != kNone; back = parent_[back]) {
                            walk.push_back({members_[parent_[back] / states_], via_[back]});
                        }
                        walk.push_back({u, start_bit});
                        std::reverse(walk.begin(), walk.end());
                        return walk;
                    }
                    auto to = slot(target, state2);
                    if (seen_[to] == stamp_) continue;
                    seen_[to] = stamp_;
                    parent_[to] = at;
                    via_[to] = bit;
                    next.push_back(to);
                }
            }
        }
        frontier.swap(next);
    }
    return {};
}

}  // namespace atomixtest::txn
