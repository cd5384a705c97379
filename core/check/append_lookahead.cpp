#include "check/append_lookahead.hpp"

#include <algorithm>

namespace atomixtest {

namespace {

// Prefix hashes take 16 bytes a character read; past this the key goes
// without the look-ahead (it only prunes: the verdict is the same).
constexpr size_t kMaxPrefixBytes = size_t{64} << 20;

}  // namespace

void ReadQueue::build(std::vector<uint32_t> order, size_t operations) {
    order_ = std::move(order);
    rank_.assign(operations, UINT32_MAX);
    for (uint32_t r = 0; r < order_.size(); ++r) rank_[order_[r]] = r;
    done_.assign((order_.size() + 63) / 64, 0);
    if (order_.size() % 64) done_.back() = ~0ULL << (order_.size() % 64);
    low_ = 0;
    while (low_ < done_.size() && done_[low_] == ~0ULL) ++low_;
}

AppendLookahead::AppendLookahead(const PartitionInput& input, const StateSpace& space,
                                 MemoryBudget* budget, bool wanted)
    : input_(input), space_(space), charge_(budget, 0) {
    if (!wanted) return;
    bool appends = std::any_of(input.ops.begin(), input.ops.end(),
                               [](const SearchOp& op) { return op.kind == OpKind::Append; });
    if (!appends) return;
    size_t bytes = 0;
    std::vector<uint32_t> reads;
    std::vector<size_t> length(input.ops.size(), 0);  // nil and numbers: 0, asked first
    is_read_.assign(input.ops.size(), false);
    for (uint32_t i = 0; i < input.ops.size(); ++i) {
        const auto& op = input.ops[i];
        if (op.kind == OpKind::Write || op.kind == OpKind::Cas) resets_.push_back(i);
        if (op.kind != OpKind::Read || op.info) continue;
        reads.push_back(i);
        is_read_[i] = true;
        if (!TextStates::is_text(op.a)) continue;
        auto found = prefixes_.find(op.a);
        if (found == prefixes_.end()) {
            auto prefixes = space.texts().prefixes_of(op.a);
            bytes += prefixes.h1.size() * 2 * sizeof(uint64_t);
            if (bytes > kMaxPrefixBytes || (budget && !budget->fits(bytes))) return;
            found = prefixes_.emplace(op.a, std::move(prefixes)).first;
        }
        length[i] = found->second.h1.size();
    }
    std::sort(resets_.begin(), resets_.end(),
              [&](uint32_t a, uint32_t b) { return input.call[a] < input.call[b]; });
    auto by_length = reads;
    std::stable_sort(by_length.begin(), by_length.end(),
                     [&](uint32_t a, uint32_t b) { return length[a] < length[b]; });
    by_length_.build(std::move(by_length), input.ops.size());
    std::stable_sort(reads.begin(), reads.end(),
                     [&](uint32_t a, uint32_t b) { return input.ret[a] < input.ret[b]; });
    by_return_.build(std::move(reads), input.ops.size());
    charge_.resize(bytes + by_length_.bytes() + by_return_.bytes() + is_read_.size() / 8);
    enabled_ = true;
}

bool AppendLookahead::reachable(int64_t state, uint32_t read) const {
    int64_t wanted = input_.ops[read].a;
    if (state == wanted || state == ValuePool::kNull) return true;  // appends start from unset
    if (!TextStates::is_text(state)) return false;
    auto found = prefixes_.find(wanted);
    return found != prefixes_.end() && space_.texts().is_prefix(state, found->second);
}

}  // namespace atomixtest
