// Histories that are linearizable by construction: a sequential run of the
// model, each operation then given an interval around its linearization point
// that overlaps its neighbours' (as concurrent clients would see it), one
// operation at a time per process. `corrupt` changes one read to a value
// nothing ever wrote, which no order can explain; `corrupt_keys` makes that
// many keys (kv) not linearizable with a stale read each: a read that returns
// what an earlier read of its key saw, after the key changed (a value nothing
// wrote when there is none). Used by the unit tests and by scripts/bench
// (history-gen).
#pragma once

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "atomixtest/check.hpp"
#include "atomixtest/history.hpp"

namespace atomixtest::testing {

struct GeneratorOptions {
    Model model = Model::CasRegister;  // register, cas-register or kv
    size_t operations = 1000;
    size_t keys = 1;  // kv only
    int processes = 8;
    uint64_t seed = 1;
    double info_rate = 0.01;  // writes whose outcome is unknown
    bool corrupt = false;
    size_t corrupt_keys = 0;  // kv: keys with a stale read each
    // Operations that take up to twenty times longer than the others (a
    // client stalled, a slow node): each stays concurrent with many more.
    double slow_rate = 0;
    // kv: half the operations appends and one in twenty puts (as in Jepsen's
    // and Porcupine's kv histories), instead of a quarter and three in ten.
    bool append_heavy = false;
};

inline History generate_history(const GeneratorOptions& options) {
    std::mt19937_64 random(options.seed);
    auto uniform = [&](int64_t low, int64_t high) {
        return std::uniform_int_distribution<int64_t>(low, high)(random);
    };
    auto chance = [&](double p) {
        return std::uniform_real_distribution<double>(0, 1)(random) < p;
    };
    struct Timed {
        int64_t time;
        HistoryEvent event;
    };
    std::vector<Timed> timed;
    std::vector<int64_t> free_at(static_cast<size_t>(options.processes), 0);
    std::vector<int64_t> process_id(static_cast<size_t>(options.processes));
    for (int p = 0; p < options.processes; ++p) process_id[static_cast<size_t>(p)] = p;
    int64_t next_process = options.processes;
    std::map<std::string, nlohmann::json> state;  // per key; absent is nil
    const int64_t spread = 10 * options.processes / 2 + 10;
    int64_t point = 0;
    bool kv = options.model == Model::Kv;
    std::vector<size_t> reads;  // indices into timed of ok read completions
    std::map<std::string, std::vector<size_t>> reads_of;  // the same, by key

    for (size_t i = 0; i < options.operations; ++i) {
        auto slot =
            static_cast<size_t>(std::min_element(free_at.begin(), free_at.end()) - free_at.begin());
        // A free process: pick one at random among those done before the point.
        point = std::max(point + 10, free_at[slot] + 2);
        std::vector<size_t> free;
        for (size_t p = 0; p < free_at.size(); ++p) {
            if (free_at[p] < point - 1) free.push_back(p);
        }
        slot = free[static_cast<size_t>(uniform(0, static_cast<int64_t>(free.size()) - 1))];
        int64_t invoke = std::max(free_at[slot] + 1, point - uniform(0, spread));
        // No draw without slow operations: the histories stay those of before.
        bool slow = options.slow_rate > 0 && chance(options.slow_rate);
        int64_t complete = point + (slow ? uniform(spread, 20 * spread) : uniform(1, spread));
        free_at[slot] = complete;

        std::optional<std::string> key;
        if (kv) key = "k" + std::to_string(uniform(0, static_cast<int64_t>(options.keys) - 1));
        auto& current = state[key.value_or("")];
        int64_t roll = uniform(0, 99);
        std::string f;
        nlohmann::json argument, result;
        auto type = EventType::Ok;
        bool is_read = false;
        if (roll < 45) {
            f = kv ? "get" : "read";
            result = current;
            is_read = true;
        } else if (kv && roll < (options.append_heavy ? 95 : 70)) {
            f = "append";
            argument = "x" + std::to_string(i) + " ";
            result = argument;
        } else if (!kv && options.model == Model::CasRegister && roll < 75) {
            f = "cas";
            argument = nlohmann::json::array({uniform(0, 4), uniform(0, 4)});
            result = argument;
            if (current != argument[0]) type = EventType::Fail;
        } else {
            f = kv ? "put" : "write";
            argument = kv ? nlohmann::json("v" + std::to_string(i)) : nlohmann::json(uniform(0, 4));
            result = argument;
        }
        bool unknown = !is_read && type == EventType::Ok && chance(options.info_rate);
        bool applies = type == EventType::Ok && !is_read && (!unknown || chance(0.5));
        if (applies) {
            if (f == "append") {
                current = (current.is_null() ? std::string() : current.get<std::string>()) +
                          argument.get<std::string>();
            } else if (f == "cas") {
                current = argument[1];
            } else {
                current = argument;
            }
        }
        if (unknown) {
            type = EventType::Info;
            result = argument;
        }
        auto process = process_id[slot];
        timed.push_back({invoke, {process, EventType::Invoke, f, key, argument}});
        if (is_read && type == EventType::Ok) {
            reads.push_back(timed.size());
            reads_of[key.value_or("")].push_back(timed.size());
        }
        timed.push_back({complete, {process, type, f, key, result}});
        // A process whose operation's outcome is unknown is replaced, as in Jepsen.
        if (unknown) process_id[slot] = next_process++;
    }
    if (options.corrupt && !reads.empty()) {
        auto& read =
            timed[reads[static_cast<size_t>(uniform(0, static_cast<int64_t>(reads.size()) - 1))]];
        read.event.value = kv ? nlohmann::json("never written") : nlohmann::json(1000);
    }
    // A stale read in each of the first corrupt_keys keys: the latest read of
    // the key that saw a different value than an earlier one gets that one.
    size_t stale = 0;
    for (auto& [key, indices] : reads_of) {
        if (stale == options.corrupt_keys) break;
        ++stale;
        auto& last = timed[indices.back()].event.value;
        auto earlier = std::find_if(indices.begin(), indices.end(),
                                    [&](size_t i) { return timed[i].event.value != last; });
        last = earlier != indices.end() ? timed[*earlier].event.value
                                        : nlohmann::json("never written");
    }
    std::stable_sort(timed.begin(), timed.end(),
                     [](const Timed& a, const Timed& b) { return a.time < b.time; });
    History history;
    history.reserve(timed.size());
    for (auto& entry : timed) {
        entry.event.time_ns = entry.time * 1000;
        history.push_back(std::move(entry.event));
    }
    return history;
}

}  // namespace atomixtest::testing
