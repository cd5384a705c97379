#include "check/append_lookahead.hpp"

#include <algorithm>

namespace atomixtest {

namespace {

// Prefix hashes take 16 bytes a character read; past this the key goes
// without the look-ahead (it only prunes: the verdict is the same).
constexpr size_t kMaxPrefixBytes = size_t{64} << 20;

}  // namespace

bool AppendLookahead::build_queues() {
    const auto& input = input_;
    auto* budget = charge_.budget();
    bool appends = std::any_of(input.ops.begin(), input.ops.end(),
                               [](const SearchOp& op) { return op.kind == OpKind::Append; });
    if (!appends) return false;
    size_t bytes = 0;
    std::vector<uint32_t> reads;
    std::vector<size_t> length(input.ops.size(), 0);  // nil and numbers: 0, asked first
    std::vector<uint32_t> resets;
    is_read_.assign(input.ops.size(), false);
    for (uint32_t i = 0; i < input.ops.size(); ++i) {
        const auto& op = input.ops[i];
        if (op.kind == OpKind::Write || op.kind == OpKind::Cas) resets.push_back(i);
        if (op.kind != OpKind::Read || op.info) continue;
        reads.push_back(i);
        is_read_[i] = true;
        if (!TextStates::is_text(op.a)) continue;
        auto found = prefixes_.find(op.a);
        if (found == prefixes_.end()) {
            auto prefixes = space_.texts().prefixes_of(op.a);
            bytes += prefixes.h1.size() * 2 * sizeof(uint64_t);
            if (bytes > kMaxPrefixBytes || (budget && !budget->fits(bytes))) {
                prefixes_.clear();
                return false;
            }
            found = prefixes_.emplace(op.a, std::move(prefixes)).first;
        }
        length[i] = found->second.h1.size();
    }
    std::sort(resets.begin(), resets.end(),
              [&](uint32_t a, uint32_t b) { return input.call[a] < input.call[b]; });
    resets_.build(std::move(resets), input.ops.size());
    auto by_length = reads;
    std::stable_sort(by_length.begin(), by_length.end(),
                     [&](uint32_t a, uint32_t b) { return length[a] < length[b]; });
    by_length_.build(std::move(by_length), input.ops.size());
    std::stable_sort(reads.begin(), reads.end(),
                     [&](uint32_t a, uint32_t b) { return input.ret[a] < input.ret[b]; });
    by_return_.build(std::move(reads), input.ops.size());
    charge_.resize(bytes + by_length_.bytes() + by_return_.bytes() + resets_.bytes() +
                   is_read_.size() / 8);
    enabled_ = true;
    return true;
}

bool AppendLookahead::reachable(int64_t state, uint32_t read) const {
    int64_t wanted = input_.ops[read].a;
    if (state == wanted || state == ValuePool::kNull) return true;  // appends start from unset
    if (!TextStates::is_text(state)) return false;
    auto found = prefixes_.find(wanted);
    return found != prefixes_.end() && space_.texts().is_prefix(state, found->second);
}

}  // namespace atomixtest
