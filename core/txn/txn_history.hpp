// A history of transactions, compact: each event pair becomes one Txn whose
// micro-operations ([append k v], [w k v], [r k v]) point into shared arrays,
// keys and values interned to dense ids. A million transactions fit in a few
// hundred MB, and the checker's passes compare integers.
//
// Jepsen's semantics, as for linearizability: `ok` took effect, `fail` did
// not, `info` may have (its reads are unknown; the micro-ops are the
// invocation's). Positions in the stream are the real-time order.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "atomixtest/history.hpp"

namespace atomixtest::txn {

// The two kinds of object Elle infers version orders for.
enum class TxnModel { ListAppend, RwRegister };
const char* to_string(TxnModel model);

enum class MopKind : uint8_t { Append, Write, Read };

constexpr uint32_t kNone = UINT32_MAX;  // no value: a nil read, no element, no writer
constexpr uint64_t kNeverCompleted = UINT64_MAX;

struct Mop {
    MopKind kind = MopKind::Read;
    uint32_t key = 0;
    // Append/Write: the value written. Read of a register: the value read, or
    // kNone for nil.
    uint32_t value = kNone;
    // Read of a list: its elements are elements[list_at, list_at + list_size);
    // list_size is kNone when the read has no result (an invocation, an info).
    uint32_t list_at = 0;
    uint32_t list_size = kNone;
};

struct Txn {
    int64_t process = 0;
    EventType type = EventType::Info;  // Ok, Fail or Info once paired
    uint64_t invoked_at = 0;           // positions of the events in the stream
    uint64_t completed_at = kNeverCompleted;
    int64_t invoke_ns = 0;
    int64_t complete_ns = 0;
    uint32_t invoke_line = 0;
    uint32_t complete_line = 0;  // 0: never completed
    uint32_t mops_at = 0;
    uint32_t mop_count = 0;
};

// Integers and strings to dense ids and back (1 and "1" differ).
class Interner {
  public:
    // Throws nothing; the caller has checked the value is an integer or a string.
    uint32_t intern(const nlohmann::json& value);
    const nlohmann::json& value(uint32_t id) const { return values_[id]; }
    size_t size() const { return values_.size(); }

  private:
    std::vector<nlohmann::json> values_;
    std::unordered_map<int64_t, uint32_t> integers_;
    std::unordered_map<std::string, uint32_t> strings_;
};

struct TxnHistory {
    std::string source;
    TxnModel model = TxnModel::ListAppend;
    std::vector<Txn> txns;  // in invocation order
    std::vector<Mop> mops;
    std::vector<uint32_t> elements;  // the contents of list reads
    Interner keys;
    Interner values;

    const Mop* begin(const Txn& txn) const { return mops.data() + txn.mops_at; }
    const Mop* end(const Txn& txn) const { return mops.data() + txn.mops_at + txn.mop_count; }
    const uint32_t* list(const Mop& mop) const { return elements.data() + mop.list_at; }
    // A vertex of the dependency graph: it took effect or may have.
    bool possible(uint32_t txn) const { return txns[txn].type != EventType::Fail; }
};

// Pairs events into transactions as they are read. Throws Error(BadInput)
// "source:line:column: ..." for a completion without an invocation, a value
// that is not a list of micro-ops the model knows, or an ok completion whose
// micro-ops do not match its invocation's.
class TxnCollector {
  public:
    TxnCollector(std::string source, TxnModel model);
    void add(HistoryEvent&& event);
    TxnHistory finish();

  private:
    void parse_mops(const HistoryEvent& event, bool completion, Txn& txn);
    [[noreturn]] void fail(const HistoryEvent& event, const std::string& message) const;

    TxnHistory history_;
    uint64_t position_ = 0;
    std::unordered_map<int64_t, uint32_t> pending_;  // process -> txn
};

// Reads and pairs a whole file (JSON Lines or EDN).
TxnHistory read_txn_history(const std::filesystem::path& path, HistoryFormat format,
                            TxnModel model);

}  // namespace atomixtest::txn
