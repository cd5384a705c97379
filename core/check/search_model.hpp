// What the search sees of a model: operations reduced to integers and one
// step function. States are integers too: an interned value (register, kv),
// a number (counter), or an interned set (set); values made during the search
// (an append's string, a set with one more element) are interned in the
// partition's StateSpace, so the step stays a comparison or a table lookup.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "atomixtest/check.hpp"
#include "check/memory_budget.hpp"
#include "check/operations.hpp"
#include "check/text_states.hpp"

namespace atomixtest {

enum class OpKind : uint8_t { Read, Write, Cas, Append, Add, SetAdd, SetRead };

struct SearchOp {
    OpKind kind = OpKind::Read;
    bool info = false;  // its outcome is unknown
    int64_t a = 0;      // read: the value seen; write/append/add: the argument; cas: old
    int64_t b = 0;      // cas: new
};

// The states of one partition (one key). Not thread-safe: one per search.
class StateSpace {
  public:
    StateSpace(Model model, const ValuePool& pool, MemoryBudget* budget = nullptr);

    // An append to a value that is not a string (nor unset) is impossible: -1.
    int64_t append(int64_t state, int64_t value);
    int64_t set_add(int64_t set, int64_t element);
    int64_t intern_set(std::vector<int64_t> elements);
    // A value as a state of this model (a counter's number, a set's id ...).
    int64_t state_of(const nlohmann::json& value, bool& valid);
    nlohmann::json describe(int64_t state) const;
    // States made during a search stay (ids must not change): what they hold
    // is charged to the budget when the search looks at it.
    size_t bytes() const;
    void settle() { charge_.resize(bytes()); }
    const TextStates& texts() const { return texts_; }

  private:
    int64_t intern_local(nlohmann::json value);

    Model model_;
    const ValuePool& pool_;
    std::vector<nlohmann::json> local_;  // ids from pool_.size() on
    std::unordered_map<nlohmann::json, int64_t> local_ids_;
    TextStates texts_;  // kv: strings
    std::vector<std::vector<int64_t>> sets_;
    std::map<std::vector<int64_t>, int64_t> set_ids_;
    std::unordered_map<uint64_t, int64_t> added_;
    size_t set_elements_ = 0;
    MemoryCharge charge_;
};

// An info operation can always step (at worst without effect): the search
// relies on it to place info operations it did not need after everything else.
inline bool step(int64_t state, const SearchOp& op, StateSpace& space, int64_t& next) {
    switch (op.kind) {
        case OpKind::Read:
            next = state;
            return state == op.a;
        case OpKind::Write:
            next = op.a;
            return true;
        case OpKind::Cas:
            if (state == op.a) {
                next = op.b;
                return true;
            }
            next = state;
            return op.info;  // an unknown cas that found another value had no effect
        case OpKind::Append:
            next = space.append(state, op.a);
            if (next >= 0) return true;
            next = state;
            return op.info;  // an unknown append to a non-string had no effect
        case OpKind::Add:    // wraps, as the counter would, rather than overflow
            next = static_cast<int64_t>(static_cast<uint64_t>(state) + static_cast<uint64_t>(op.a));
            return true;
        case OpKind::SetAdd:
            next = space.set_add(state, op.a);
            return true;
        case OpKind::SetRead:
            next = state;
            return state == op.a;
    }
    return false;
}

// Turns the table's operations into search operations for one model. Throws
// Error(BadInput) source:line:column for an operation the model does not know
// or a value of the wrong shape; returns nullopt for an operation without
// effect on the check (an info read).
std::optional<SearchOp> translate_operation(Model model, const OperationTable& table,
                                            const Operation& op, StateSpace& space);

// Each model's translation (one file each).
std::optional<SearchOp> translate_register(const OperationTable&, const Operation&, StateSpace&,
                                           bool with_cas);
std::optional<SearchOp> translate_kv(const OperationTable&, const Operation&, StateSpace&);
std::optional<SearchOp> translate_counter(const OperationTable&, const Operation&, StateSpace&);
std::optional<SearchOp> translate_set(const OperationTable&, const Operation&, StateSpace&);

// "source:line:column: message" for an operation.
[[noreturn]] void operation_error(const OperationTable& table, const Operation& op,
                                  const std::string& message);

}  // namespace atomixtest
