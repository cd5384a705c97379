// A history's events paired into operations (an invocation and its
// completion), with values interned so that the search compares integers.
// `fail` operations are dropped here; an invocation never completed is `info`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "atomixtest/history.hpp"
#include "check/memory_budget.hpp"

namespace atomixtest {

// Equal JSON values share an id; null is always id 0.
class ValuePool {
  public:
    static constexpr uint32_t kNull = 0;
    ValuePool();
    uint32_t intern(const nlohmann::json& value);
    std::optional<uint32_t> find(const nlohmann::json& value) const;
    const nlohmann::json& value(uint32_t id) const { return values_[id]; }
    size_t size() const { return values_.size(); }
    // What the pool holds, roughly (the values and their indices).
    size_t bytes() const { return bytes_; }

  private:
    std::vector<nlohmann::json> values_;
    // Strings and integers, most values, are interned without hashing JSON.
    std::unordered_map<std::string, uint32_t> strings_;
    std::unordered_map<int64_t, uint32_t> integers_;
    std::unordered_map<nlohmann::json, uint32_t> others_;
    size_t bytes_ = 0;
};

// Completion at "+infinity": an info operation may take effect any time after
// its invocation.
constexpr uint64_t kNever = UINT64_MAX;

struct Operation {
    int64_t process = 0;
    uint32_t key = 0;                    // index into OperationTable::keys
    uint32_t f = 0;                      // index into OperationTable::names
    uint32_t value = ValuePool::kNull;   // the invocation's argument
    uint32_t result = ValuePool::kNull;  // the completion's value
    EventType type = EventType::Info;    // Ok or Info once paired
    uint64_t invoked_at = 0;             // position of the event in the history
    uint64_t completed_at = kNever;
    int64_t invoke_ns = 0;
    int64_t complete_ns = 0;
    uint32_t invoke_line = 0;
    uint32_t invoke_column = 0;
    uint32_t complete_line = 0;
};

struct OperationTable {
    std::string source;
    std::vector<Operation> operations;             // in order of invocation
    std::vector<std::optional<std::string>> keys;  // keys[0] is "no key"
    std::vector<std::string> names;                // operation names (f)
    ValuePool values;

    // Operation indices per key, each in order of invocation.
    std::vector<std::vector<uint32_t>> by_key() const;
};

// Pairs events one at a time, so a file can be checked as it is read.
class OperationCollector {
  public:
    // With a budget, what the table holds is charged to it, and growing past
    // the limit throws MemoryLimitReached.
    explicit OperationCollector(std::string source, MemoryBudget* budget = nullptr);
    // Throws Error(BadInput) "source:line:column: ..." for a completion without
    // an invocation, a second invocation before the first completed, a
    // completion whose f or key differs from its invocation's, or a value
    // nested deeper than kMaxValueDepth.
    void add(HistoryEvent&& event);
    // The same for an event the caller keeps (checked before it is copied).
    void add(const HistoryEvent& event);
    OperationTable finish();
    // What the table holds so far, roughly: counted against --memory-limit
    // while the history is read.
    size_t bytes() const;
    uint64_t events() const { return position_; }

  private:
    void refuse_if_too_deep(const HistoryEvent& event) const;
    // add() once the value's depth is known to be within bounds: each event's
    // value is walked for its depth once, whichever add() took it.
    void add_within_depth(HistoryEvent&& event);
    uint32_t name_id(const std::string& f);
    uint32_t key_id(const std::optional<std::string>& key);

    OperationTable table_;
    uint64_t position_ = 0;
    std::unordered_map<int64_t, uint32_t> pending_;  // process -> operation
    std::unordered_map<std::string, uint32_t> name_ids_;
    std::unordered_map<std::string, uint32_t> key_ids_;
    std::vector<bool> failed_;
    MemoryBudget* budget_;
    MemoryCharge charge_;
};

}  // namespace atomixtest
