// Histories of transactions that are strict serializable by construction: a
// serial execution of random transactions (txn/txn_generator.hpp) against an
// in-memory store, then each transaction given an interval around its place
// in the serial order that overlaps its neighbours', as concurrent clients
// would see it (one transaction at a time per process; a process whose
// transaction ended `info` is replaced). Some transactions fail (not applied)
// or end info (applied or not).
//
// One fault can then be injected into one list read, each producing exactly
// one anomaly class: an element missing (incompatible-order), two adjacent
// elements swapped (incompatible-order), the last element duplicated
// (duplicate-elements), or an element nobody wrote (garbage-read; for
// rw-register, a value nobody wrote). The read chosen is its transaction's
// only access to the key, so that nothing else in it changes.
// Used by the unit tests and scripts/bench (txn-history-gen).
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "atomixtest/history.hpp"
#include "txn/txn_generator.hpp"

namespace atomixtest::testing {

enum class TxnFault { None, MissingElement, SwappedElements, DuplicatedElement, GarbageElement };

struct TxnHistoryOptions {
    txn::TxnShape shape;
    size_t transactions = 1000;
    int processes = 10;
    uint64_t seed = 1;
    double fail_rate = 0.02;
    double info_rate = 0.01;
    TxnFault fault = TxnFault::None;
};

namespace detail {

struct TimedEvent {
    int64_t time;
    HistoryEvent event;
};

// Applies one transaction to the store; returns its completed micro-ops.
inline nlohmann::json apply_txn(const nlohmann::json& txn,
                                std::map<int64_t, nlohmann::json>& store) {
    auto done = txn;
    for (auto& mop : done) {
        auto& state = store[mop[1].get<int64_t>()];
        if (mop[0] == "r") {
            mop[2] = state;
        } else if (mop[0] == "append") {
            if (state.is_null()) state = nlohmann::json::array();
            state.push_back(mop[2]);
        } else {
            state = mop[2];
        }
    }
    return done;
}

// The ok reads that are their transaction's only access to their key.
inline std::vector<std::pair<size_t, size_t>> lone_reads(const std::vector<TimedEvent>& events) {
    std::vector<std::pair<size_t, size_t>> reads;  // event, micro-op
    for (size_t e = 0; e < events.size(); ++e) {
        const auto& event = events[e].event;
        if (event.type != EventType::Ok) continue;
        for (size_t m = 0; m < event.value.size(); ++m) {
            const auto& mop = event.value[m];
            if (mop[0] != "r") continue;
            size_t same = 0;
            for (const auto& other : event.value) same += other[1] == mop[1];
            if (same == 1) reads.emplace_back(e, m);
        }
    }
    return reads;
}

inline size_t length_of(const nlohmann::json& read) {
    return read.is_array() ? read.size() : 0;
}

// Returns whether a read fit the fault.
inline bool inject_fault(std::vector<TimedEvent>& events, TxnFault fault, std::mt19937_64& random) {
    auto reads = lone_reads(events);
    auto mop = [&](std::pair<size_t, size_t> at) -> nlohmann::json& {
        return events[at.first].event.value[at.second];
    };
    // The two longest reads of each key: a read another one holds entirely
    // keeps the true order visible when it is damaged.
    std::map<nlohmann::json, std::pair<size_t, size_t>> longest;  // first, second
    for (const auto& event : events) {
        if (event.event.type != EventType::Ok) continue;
        for (const auto& m : event.event.value) {
            if (m[0] != "r") continue;
            auto& [first, second] = longest[m[1]];
            auto length = length_of(m[2]);
            second = std::max(second, std::min(first, length));
            first = std::max(first, length);
        }
    }
    std::vector<std::pair<size_t, size_t>> candidates;
    for (auto at : reads) {
        const auto& m = mop(at);
        auto length = length_of(m[2]);
        auto [first, second] = longest[m[1]];
        if (fault == TxnFault::GarbageElement) {
            // A register read of a value, or the end of a key's longest list,
            // so that no other read disagrees with it.
            if (m[2].is_array() ? length > 0 && length == first : !m[2].is_null()) {
                candidates.push_back(at);
            }
            continue;
        }
        size_t needed = fault == TxnFault::MissingElement    ? 2
                        : fault == TxnFault::SwappedElements ? 3
                                                             : 1;
        bool held_elsewhere = first > length || second >= length;
        if (length >= needed && (fault == TxnFault::DuplicatedElement || held_elsewhere)) {
            candidates.push_back(at);
        }
    }
    if (candidates.empty()) return false;
    auto& read =
        mop(candidates[std::uniform_int_distribution<size_t>(0, candidates.size() - 1)(random)])[2];
    auto pick = [&](size_t high) { return std::uniform_int_distribution<size_t>(0, high)(random); };
    switch (fault) {
        case TxnFault::MissingElement:
            read.erase(read.begin() + static_cast<long>(pick(read.size() - 2)));
            break;
        case TxnFault::SwappedElements: {
            auto i = pick(read.size() - 3);
            std::swap(read[i], read[i + 1]);
            break;
        }
        case TxnFault::DuplicatedElement:
            read.push_back(read.back());
            break;
        case TxnFault::GarbageElement:
            if (read.is_array()) {
                read.push_back(999'999'999);
            } else {
                read = 999'999'999;
            }
            break;
        case TxnFault::None:
            break;
    }
    return true;
}

}  // namespace detail

// Generates the transactions in serial order, calling emit(time, event) for
// each invocation and completion (not yet in time order). Returns the spread:
// no event is more than that before its transaction's place in the order.
inline int64_t generate_txn_events(
    const TxnHistoryOptions& options,
    const std::function<void(int64_t, HistoryEvent&&, int64_t)>& emit) {
    std::mt19937_64 random(options.seed);
    auto uniform = [&](int64_t low, int64_t high) {
        return std::uniform_int_distribution<int64_t>(low, high)(random);
    };
    auto chance = [&](double p) {
        return std::uniform_real_distribution<double>(0, 1)(random) < p;
    };
    txn::TxnGenerator generator(options.shape, options.seed * 7919 + 1);
    std::map<int64_t, nlohmann::json> store;
    std::vector<int64_t> free_at(static_cast<size_t>(options.processes), 0);
    std::vector<int64_t> process_id(free_at.size());
    for (size_t p = 0; p < free_at.size(); ++p) process_id[p] = static_cast<int64_t>(p);
    int64_t next_process = options.processes;
    const int64_t spread = 10 * options.processes / 2 + 10;
    int64_t point = 0;
    for (size_t i = 0; i < options.transactions; ++i) {
        point = std::max(point + 10, *std::min_element(free_at.begin(), free_at.end()) + 2);
        std::vector<size_t> idle;
        for (size_t p = 0; p < free_at.size(); ++p) {
            if (free_at[p] < point - 1) idle.push_back(p);
        }
        auto slot = idle[static_cast<size_t>(uniform(0, static_cast<int64_t>(idle.size()) - 1))];
        // The serial order is the order of the points, each inside its interval.
        int64_t invoke = std::max(free_at[slot] + 1, point - uniform(0, spread));
        int64_t complete = point + uniform(1, spread);
        free_at[slot] = complete;
        auto txn = generator.next();
        auto type = chance(options.fail_rate)   ? EventType::Fail
                    : chance(options.info_rate) ? EventType::Info
                                                : EventType::Ok;
        bool applied = type == EventType::Ok || (type == EventType::Info && chance(0.5));
        auto done = applied ? detail::apply_txn(txn, store) : txn;
        auto process = process_id[slot];
        emit(invoke, {process, EventType::Invoke, "txn", std::nullopt, txn}, point);
        emit(complete, {process, type, "txn", std::nullopt, type == EventType::Ok ? done : txn},
             point);
        if (type == EventType::Info) process_id[slot] = next_process++;
    }
    return spread;
}

// `injected`, when given, tells whether the fault found a read to damage.
inline History generate_txn_history(const TxnHistoryOptions& options, bool* injected = nullptr) {
    std::vector<detail::TimedEvent> events;
    generate_txn_events(options, [&](int64_t time, HistoryEvent&& event, int64_t) {
        events.push_back({time, std::move(event)});
    });
    std::mt19937_64 random(options.seed ^ 0xfa017);
    bool damaged =
        options.fault != TxnFault::None && detail::inject_fault(events, options.fault, random);
    if (injected) *injected = damaged;
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.time < b.time; });
    History history;
    history.reserve(events.size());
    for (auto& entry : events) {
        entry.event.time_ns = entry.time * 1000;
        history.push_back(std::move(entry.event));
    }
    return history;
}

// The same history without a fault, streamed in time order to `sink` without
// holding it: a million transactions need no more memory than a few hundred.
inline void stream_txn_history(const TxnHistoryOptions& options, const HistorySink& sink) {
    struct Pending {
        int64_t time;
        uint64_t sequence;  // ties keep generation order, as the stable sort does
        HistoryEvent event;
        bool operator>(const Pending& other) const {
            return time != other.time ? time > other.time : sequence > other.sequence;
        }
    };
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue;
    uint64_t sequence = 0;
    int64_t spread = 10 * options.processes / 2 + 10;
    auto flush_before = [&](int64_t time) {
        while (!queue.empty() && queue.top().time < time) {
            auto event = std::move(const_cast<Pending&>(queue.top()).event);
            event.time_ns = queue.top().time * 1000;
            queue.pop();
            sink(std::move(event));
        }
    };
    generate_txn_events(options, [&](int64_t time, HistoryEvent&& event, int64_t point) {
        queue.push({time, sequence++, std::move(event)});
        // Later transactions' events come at or after their point - spread.
        flush_before(point + 10 - spread);
    });
    flush_before(INT64_MAX);
}

}  // namespace atomixtest::testing
