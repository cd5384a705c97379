// The search's memory of configurations already explored. A configuration is
// the set of linearized operations with a known outcome (a bitset, hashed
// incrementally with Zobrist keys and stored sparsely), the model's state, and
// the set of info operations linearized so far.
//
// Info operations make the cache a dominance check rather than an equality
// one: an info operation can always be placed after everything else, so a
// configuration that has linearized *fewer* info operations (and is otherwise
// the same) can do whatever one with more can. Having explored the smaller,
// the search skips the larger (among them every info step without effect).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace atomixtest {

inline uint64_t mix64(uint64_t x) {  // splitmix64's finaliser
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

class LinearizedSet {
  public:
    explicit LinearizedSet(size_t n) : bits_((n + 63) / 64, 0), zobrist_(n) {
        for (size_t i = 0; i < n; ++i) zobrist_[i] = mix64(i * 0x632BE59BD9B4E019ULL + 1);
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
    bool test(uint32_t i) const { return (bits_[i / 64] >> (i % 64)) & 1; }
    uint64_t hash() const { return hash_; }
    // Canonical and short: the count of leading all-ones words, then (index,
    // word) for each word up to the last non-zero one that is not all ones.
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

class VisitedCache {
  public:
    VisitedCache() : slots_(1024, 0) {}

    // False when a configuration with the same linearized set and state and a
    // subset of these info operations was seen; otherwise remembers this one.
    // Per (set, state) the info sets kept are an antichain: one that a new,
    // smaller one dominates is dropped.
    bool insert(const LinearizedSet& set, int64_t state, const LinearizedSet& info_set,
                const std::vector<uint32_t>& info_done) {
        uint64_t hash = set.hash() ^ mix64(static_cast<uint64_t>(state));
        set.encode(scratch_);
        size_t mask = slots_.size() - 1;
        size_t slot = hash & mask;
        for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
            auto& entry = entries_[slots_[slot] - 1];
            if (entry.hash != hash || entry.state != state || entry.length != scratch_.size() ||
                !std::equal(scratch_.begin(), scratch_.end(),
                            arena_.begin() + static_cast<long>(entry.offset))) {
                continue;
            }
            return add_info(entry, info_set, info_done);
        }
        entries_.push_back(
            {hash, state, arena_.size(), static_cast<uint32_t>(scratch_.size()), kNone});
        arena_.insert(arena_.end(), scratch_.begin(), scratch_.end());
        add_info(entries_.back(), info_set, info_done);
        slots_[slot] = static_cast<uint32_t>(entries_.size());
        if (entries_.size() * 2 > slots_.size()) grow();
        return true;
    }

    // What it holds, roughly: the search's only memory that grows.
    size_t bytes() const {
        return slots_.capacity() * sizeof(uint32_t) + entries_.capacity() * sizeof(Entry) +
               infos_.capacity() * sizeof(InfoSet) +
               (arena_.capacity() + scratch_.capacity() + sorted_.capacity()) * sizeof(uint64_t);
    }

  private:
    static constexpr uint32_t kNone = UINT32_MAX;
    struct Entry {
        uint64_t hash;
        int64_t state;
        size_t offset;  // of the encoded set in arena_
        uint32_t length;
        uint32_t infos;  // first of its info sets, a list through InfoSet::next
    };
    struct InfoSet {
        size_t offset;  // of the sorted info indices in arena_
        uint32_t length;
        uint32_t next;
    };

    bool add_info(Entry& entry, const LinearizedSet& info_set,
                  const std::vector<uint32_t>& info_done) {
        sorted_.assign(info_done.begin(), info_done.end());
        std::sort(sorted_.begin(), sorted_.end());
        for (uint32_t* link = &entry.infos; *link != kNone;) {
            auto& seen = infos_[*link];
            auto begin = arena_.begin() + static_cast<long>(seen.offset);
            if (std::all_of(begin, begin + seen.length,
                            [&](uint64_t j) { return info_set.test(static_cast<uint32_t>(j)); })) {
                return false;  // a subset of these was explored
            }
            if (std::includes(begin, begin + seen.length, sorted_.begin(), sorted_.end())) {
                *link = seen.next;  // this one is dominated by the new one
            } else {
                link = &seen.next;
            }
        }
        infos_.push_back({arena_.size(), static_cast<uint32_t>(sorted_.size()), entry.infos});
        arena_.insert(arena_.end(), sorted_.begin(), sorted_.end());
        entry.infos = static_cast<uint32_t>(infos_.size() - 1);
        return true;
    }
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
    std::vector<InfoSet> infos_;
    std::vector<uint64_t> arena_;
    std::vector<uint64_t> scratch_;
    std::vector<uint64_t> sorted_;
};

}  // namespace atomixtest
