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
#include <memory>
#include <vector>

#include "check/block_vector.hpp"

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

// One generation of the memory: configurations, each with the antichain of
// info sets tried, in blocks that never move.
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
        size_t slot = find(hash, state);
        if (slots_[slot] != 0) return add_info(entries_[slots_[slot] - 1], info_set, info_done);
        Entry entry{hash, state, arena_.append(scratch_.begin(), scratch_.size()),
                    static_cast<uint32_t>(scratch_.size()), kNone};
        entries_.push_back(entry);
        add_info(entries_[entries_.size() - 1], info_set, info_done);
        slots_[slot] = static_cast<uint32_t>(entries_.size());
        if (entries_.size() * 2 > slots_.size() && !full_) grow();
        return true;
    }

    // Whether a configuration with this set and state and a subset of these
    // info operations was seen; remembers nothing.
    bool covers(const LinearizedSet& set, int64_t state, const LinearizedSet& info_set) {
        if (entries_.empty()) return false;
        uint64_t hash = set.hash() ^ mix64(static_cast<uint64_t>(state));
        set.encode(scratch_);
        size_t slot = find(hash, state);
        if (slots_[slot] == 0) return false;
        for (uint32_t link = entries_[slots_[slot] - 1].infos; link != kNone;) {
            const auto& seen = infos_[link];
            const uint64_t* begin = arena_.record(seen.offset);
            if (std::all_of(begin, begin + seen.length,
                            [&](uint64_t j) { return info_set.test(static_cast<uint32_t>(j)); })) {
                return true;
            }
            link = seen.next;
        }
        return false;
    }

    // What it holds: the search's only memory that grows.
    size_t bytes() const {
        return slots_.capacity() * sizeof(uint32_t) + entries_.bytes() + infos_.bytes() +
               arena_.bytes() + (scratch_.capacity() + sorted_.capacity()) * sizeof(uint64_t);
    }
    // The index may not grow and is three quarters full: time to forget.
    bool full() const { return full_; }
    void allow_growth(bool allowed) { growth_allowed_ = allowed; }

  private:
    static constexpr uint32_t kNone = UINT32_MAX;
    // Plain structs: a block of them stays untouched until written.
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

    // The slot holding (hash, state, scratch_), or the empty slot where it goes.
    size_t find(uint64_t hash, int64_t state) const {
        size_t mask = slots_.size() - 1;
        size_t slot = hash & mask;
        for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
            const auto& entry = entries_[slots_[slot] - 1];
            if (entry.hash != hash || entry.state != state || entry.length != scratch_.size()) {
                continue;
            }
            const uint64_t* stored = arena_.record(entry.offset);
            if (std::equal(scratch_.begin(), scratch_.end(), stored)) return slot;
        }
        return slot;
    }
    bool add_info(Entry& entry, const LinearizedSet& info_set,
                  const std::vector<uint32_t>& info_done) {
        sorted_.assign(info_done.begin(), info_done.end());
        std::sort(sorted_.begin(), sorted_.end());
        for (uint32_t* link = &entry.infos; *link != kNone;) {
            auto& seen = infos_[*link];
            const uint64_t* begin = arena_.record(seen.offset);
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
        InfoSet info{arena_.append(sorted_.begin(), sorted_.size()),
                     static_cast<uint32_t>(sorted_.size()), entry.infos};
        infos_.push_back(info);
        entry.infos = static_cast<uint32_t>(infos_.size() - 1);
        return true;
    }
    void grow() {
        // Past three quarters full the probes get long: then the generation
        // is full, and the search forgets its older half instead.
        if (!growth_allowed_) {
            full_ = entries_.size() * 4 > slots_.size() * 3;
            return;
        }
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
    BlockVector<Entry> entries_;
    BlockVector<InfoSet> infos_;
    BlockVector<uint64_t> arena_;
    std::vector<uint64_t> scratch_;
    std::vector<uint64_t> sorted_;
    bool growth_allowed_ = true;
    bool full_ = false;
};

// The memory of a search, bounded: two generations, the young one taking
// every new configuration. When the budget runs out the old one is dropped
// and the young one becomes old, so the search forgets what it saw least
// recently (a depth-first search revisits mostly what is near its path)
// instead of growing past the limit. Forgetting never changes a verdict: a
// configuration forgotten is only explored again.
class VisitedStates {
  public:
    bool insert(const LinearizedSet& set, int64_t state, const LinearizedSet& info_set,
                const std::vector<uint32_t>& info_done) {
        if (old_ && old_->covers(set, state, info_set)) return false;
        bool fresh = young_->insert(set, state, info_set, info_done);
        if (young_->full()) forget_older();
        return fresh;
    }
    size_t bytes() const { return young_->bytes() + (old_ ? old_->bytes() : 0); }
    // Whether the young generation may double its index now.
    void allow_growth(bool allowed) { young_->allow_growth(allowed); }
    // Drops the old generation; the young one becomes old.
    void forget_older() {
        old_ = std::move(young_);
        young_ = std::make_unique<VisitedCache>();
        ++forgotten_;
    }
    uint32_t times_forgotten() const { return forgotten_; }

  private:
    std::unique_ptr<VisitedCache> young_ = std::make_unique<VisitedCache>();
    std::unique_ptr<VisitedCache> old_;
    uint32_t forgotten_ = 0;
};

}  // namespace atomixtest
