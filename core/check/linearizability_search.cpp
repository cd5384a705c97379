#include "check/linearizability_search.hpp"

#include <algorithm>

namespace atomixtest {

namespace {

constexpr uint32_t kNil = UINT32_MAX;

uint64_t mix(uint64_t x) {  // splitmix64's finaliser
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// The linearized set: a bitset, its Zobrist hash, and the range of words that
// are neither all ones (below) nor all zeros (above), which is what the cache
// stores of it.
class LinearizedSet {
  public:
    explicit LinearizedSet(size_t n) : bits_((n + 63) / 64, 0), zobrist_(n) {
        for (size_t i = 0; i < n; ++i) zobrist_[i] = mix(i * 0x632BE59BD9B4E019ULL + 1);
    }
    void set(uint32_t i) {
        size_t w = i / 64;
        bits_[w] |= 1ULL << (i % 64);
        hash_ ^= zobrist_[i];
        if (w == low_) {
            while (low_ < bits_.size() && bits_[low_] == ~0ULL) ++low_;
        }
        high_ = std::max(high_, w + 1);
    }
    void clear(uint32_t i) {
        size_t w = i / 64;
        bits_[w] &= ~(1ULL << (i % 64));
        hash_ ^= zobrist_[i];
        low_ = std::min(low_, w);
        if (w + 1 == high_) {
            while (high_ > 0 && bits_[high_ - 1] == 0) --high_;
        }
    }
    uint64_t hash() const { return hash_; }
    // [low, (index, word) of each word between low and high that is not full].
    void encode(std::vector<uint64_t>& out) const {
        out.clear();
        out.push_back(low_);
        for (size_t w = low_; w < high_; ++w) {
            if (bits_[w] != ~0ULL) {
                out.push_back(w);
                out.push_back(bits_[w]);
            }
        }
    }

  private:
    std::vector<uint64_t> bits_;
    std::vector<uint64_t> zobrist_;
    uint64_t hash_ = 0;
    size_t low_ = 0;   // words below are all ones
    size_t high_ = 0;  // words from here on are all zeros
};

// Open addressing over (hash, state, encoded set); entries are never removed.
class VisitedCache {
  public:
    VisitedCache() : slots_(1024, 0) {}
    // True when (set, state) was new and is now remembered.
    bool insert(const LinearizedSet& set, int64_t state) {
        uint64_t hash = set.hash() ^ mix(static_cast<uint64_t>(state));
        bool encoded = false;
        size_t mask = slots_.size() - 1;
        size_t slot = hash & mask;
        while (slots_[slot] != 0) {
            const auto& entry = entries_[slots_[slot] - 1];
            if (entry.hash == hash && entry.state == state) {
                if (!encoded) set.encode(scratch_);
                encoded = true;
                if (entry.length == scratch_.size() &&
                    std::equal(scratch_.begin(), scratch_.end(), arena_.begin() + entry.offset)) {
                    return false;
                }
            }
            slot = (slot + 1) & mask;
        }
        if (!encoded) set.encode(scratch_);
        entries_.push_back({hash, state, arena_.size(), static_cast<uint32_t>(scratch_.size())});
        arena_.insert(arena_.end(), scratch_.begin(), scratch_.end());
        slots_[slot] = static_cast<uint32_t>(entries_.size());
        if (entries_.size() * 2 > slots_.size()) grow();
        return true;
    }

  private:
    struct Entry {
        uint64_t hash;
        int64_t state;
        size_t offset;
        uint32_t length;
    };
    void grow() {
        std::vector<uint32_t> slots(slots_.size() * 2, 0);
        size_t mask = slots.size() - 1;
        for (uint32_t i = 0; i < entries_.size(); ++i) {
            size_t slot = entries_[i].hash & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = i + 1;
        }
        slots_.swap(slots);
    }
    std::vector<uint32_t> slots_;
    std::vector<Entry> entries_;
    std::vector<uint64_t> arena_;
    std::vector<uint64_t> scratch_;
};

}  // namespace

SearchOutcome search_linearization(const PartitionInput& input, StateSpace& space,
                                   const Deadline& deadline) {
    SearchOutcome outcome;
    auto n = static_cast<uint32_t>(input.ops.size());
    if (n == 0) return outcome;

    // Entries in time order; completions at +infinity last, by operation.
    struct Entry {
        uint64_t time;
        uint32_t op;
        bool is_return;
    };
    std::vector<Entry> entries;
    entries.reserve(2 * size_t{n});
    for (uint32_t i = 0; i < n; ++i) {
        entries.push_back({input.call[i], i, false});
        entries.push_back({input.ret[i], i, true});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        if (a.time != b.time) return a.time < b.time;
        if (a.is_return != b.is_return) return !a.is_return;
        return a.op < b.op;
    });
    uint32_t size = 2 * n, head = size;
    std::vector<uint32_t> next(size + 1), prev(size + 1), match(size, kNil), op_of(size);
    std::vector<uint32_t> return_of(n);
    for (uint32_t e = 0; e < size; ++e) {
        op_of[e] = entries[e].op;
        if (entries[e].is_return) return_of[entries[e].op] = e;
    }
    for (uint32_t e = 0; e < size; ++e) {
        if (!entries[e].is_return) match[e] = return_of[entries[e].op];
        next[e] = e + 1 < size ? e + 1 : kNil;
        prev[e] = e == 0 ? head : e - 1;
    }
    next[head] = 0;
    prev[head] = kNil;
    entries.clear();
    entries.shrink_to_fit();

    auto lift = [&](uint32_t e) {
        next[prev[e]] = next[e];
        prev[next[e]] = prev[e];  // a call is always followed by its return
        uint32_t m = match[e];
        next[prev[m]] = next[m];
        if (next[m] != kNil) prev[next[m]] = prev[m];
    };
    auto unlift = [&](uint32_t e) {
        uint32_t m = match[e];
        next[prev[m]] = m;
        if (next[m] != kNil) prev[next[m]] = m;
        next[prev[e]] = e;
        prev[next[e]] = e;
    };

    LinearizedSet linearized(n);
    VisitedCache cache;
    struct Call {
        uint32_t entry;
        int64_t state;
    };
    std::vector<Call> calls;
    calls.reserve(n);
    size_t low_water = 0;  // calls below this have not changed since `deepest` was saved
    int64_t state = input.initial;
    uint32_t entry = next[head];
    uint32_t budget = 0;
    while (next[head] != kNil) {
        if (++budget == 4096) {
            budget = 0;
            if (deadline.passed()) {
                outcome.verdict = Verdict::Unknown;
                return outcome;
            }
        }
        if (match[entry] != kNil) {
            int64_t after = 0;
            uint32_t op = op_of[entry];
            if (step(state, input.ops[op], space, after)) {
                linearized.set(op);
                if (cache.insert(linearized, after)) {
                    calls.push_back({entry, state});
                    state = after;
                    lift(entry);
                    entry = next[head];
                    continue;
                }
                linearized.clear(op);
            }
            entry = next[entry];
            continue;
        }
        // A completion whose operation is not linearized: undo the last choice.
        if (calls.size() > outcome.deepest.size() || outcome.stuck == kNil) {
            outcome.deepest.resize(std::min(low_water, outcome.deepest.size()));
            for (size_t i = outcome.deepest.size(); i < calls.size(); ++i) {
                outcome.deepest.push_back(op_of[calls[i].entry]);
            }
            outcome.stuck = op_of[entry];
            low_water = calls.size();
        }
        if (calls.empty()) {
            outcome.verdict = Verdict::NotLinearizable;
            return outcome;
        }
        auto top = calls.back();
        calls.pop_back();
        low_water = std::min(low_water, calls.size());
        entry = top.entry;
        state = top.state;
        linearized.clear(op_of[entry]);
        unlift(entry);
        entry = next[entry];
    }
    outcome.deepest.clear();
    for (const auto& call : calls) outcome.deepest.push_back(op_of[call.entry]);
    outcome.stuck = kNil;
    return outcome;
}

PartitionInput restrict_partition(const PartitionInput& input, const std::vector<uint32_t>& keep,
                                  int64_t initial) {
    PartitionInput part;
    part.initial = initial;
    for (auto i : keep) {
        part.ops.push_back(input.ops[i]);
        part.call.push_back(input.call[i]);
        part.ret.push_back(input.ret[i]);
    }
    return part;
}

}  // namespace atomixtest
