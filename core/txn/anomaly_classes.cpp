#include "txn/anomaly_classes.hpp"

#include "atomixtest/error.hpp"

namespace atomixtest::txn {

namespace {

struct ClassEntry {
    const char* name;
    const char* description;
};

// In the order of AnomalyClass.
constexpr ClassEntry kClasses[kAnomalyClassCount] = {
    {"duplicate-writes", "a value written to a key more than once (every write must be unique)"},
    {"duplicate-elements", "a read of a list holding an element more than once"},
    {"garbage-read", "a read of a value that no transaction wrote"},
    {"incompatible-order", "two reads of a list, neither a prefix of the other"},
    {"cyclic-versions", "the version order inferred for a register has a cycle"},
    {"G1a", "aborted read: a committed transaction read a failed transaction's write"},
    {"G1b", "intermediate read: a read of a write its own transaction overwrote"},
    {"internal", "a transaction did not see its own earlier writes and reads"},
    {"future-read", "a transaction read a value it wrote only later"},
    {"lost-update", "committed transactions read the same version of a key and both wrote it"},
    {"G0", "write cycle: ww dependencies alone"},
    {"G1c", "cyclic information flow: ww and wr dependencies"},
    {"G-single", "read skew: a cycle with exactly one anti-dependency (rw)"},
    {"G-nonadjacent", "a cycle with several rw dependencies, no two adjacent"},
    {"G2-item", "anti-dependency cycle: several rw dependencies"},
    {"G0-process", "a write cycle that needs process order"},
    {"G1c-process", "cyclic information flow that needs process order"},
    {"G-single-process", "read skew that needs process order"},
    {"G-nonadjacent-process", "a G-nonadjacent cycle that needs process order"},
    {"G2-item-process", "an anti-dependency cycle that needs process order"},
    {"G0-realtime", "a write cycle that needs real-time order"},
    {"G1c-realtime", "cyclic information flow that needs real-time order"},
    {"G-single-realtime", "read skew that needs real-time order (a stale read)"},
    {"G-nonadjacent-realtime", "a G-nonadjacent cycle that needs real-time order"},
    {"G2-item-realtime", "an anti-dependency cycle that needs real-time order"},
};

constexpr int kFirstCycle = static_cast<int>(AnomalyClass::G0);
constexpr int kDataKinds = 5;

AnomalySet variants_from(int kind, CycleVariant from) {
    AnomalySet set = 0;
    for (int v = static_cast<int>(from); v <= static_cast<int>(CycleVariant::Realtime); ++v) {
        set |= bit(cycle_class(kind, static_cast<CycleVariant>(v)));
    }
    return set;
}

AnomalySet all_variants(CycleVariant variant) {
    AnomalySet set = 0;
    for (int kind = 0; kind < kDataKinds; ++kind) set |= bit(cycle_class(kind, variant));
    return set;
}

struct ModelEntry {
    const char* name;
    AnomalySet forbids;
    uint32_t implies;  // bits of weaker models
};

constexpr uint32_t model_bit(ConsistencyModel model) {
    return uint32_t{1} << static_cast<int>(model);
}

std::vector<ModelEntry> model_table() {
    using A = AnomalyClass;
    using M = ConsistencyModel;
    AnomalySet ru =
        bit(A::G0) | bit(A::DuplicateElements) | bit(A::GarbageRead) | bit(A::CyclicVersions);
    AnomalySet rc = ru | bit(A::G1a) | bit(A::G1b) | bit(A::G1c) | bit(A::IncompatibleOrder) |
                    bit(A::FutureRead);
    AnomalySet item = bit(A::GSingle) | bit(A::GNonadjacent) | bit(A::LostUpdate);
    // Repeatable read (Adya's PL-2.99) forbids item anti-dependency cycles, but
    // says nothing of a transaction's view of its own writes (nor does Elle).
    AnomalySet rr = rc | item | bit(A::G2Item);
    AnomalySet si = rc | item | bit(A::Internal);
    AnomalySet ser = si | bit(A::G2Item);
    AnomalySet process = all_variants(CycleVariant::Process);
    AnomalySet sssi = si | bit(A::G0Process) | bit(A::G1cProcess) | bit(A::GSingleProcess) |
                      bit(A::GNonadjacentProcess);
    uint32_t below_rc = model_bit(M::ReadUncommitted);
    uint32_t below_si = model_bit(M::ReadCommitted) | below_rc;
    uint32_t below_ser = model_bit(M::RepeatableRead) | model_bit(M::SnapshotIsolation) | below_si;
    uint32_t below_sssi = model_bit(M::SnapshotIsolation) | below_si;
    uint32_t below_ssser =
        model_bit(M::Serializable) | model_bit(M::StrongSessionSnapshotIsolation) | below_ser;
    return {
        {"read-uncommitted", ru, 0},
        {"read-committed", rc, below_rc},
        {"repeatable-read", rr, below_si},
        {"snapshot-isolation", si, below_si},
        {"serializable", ser, below_ser},
        {"strong-session-snapshot-isolation", sssi, below_sssi},
        {"strong-session-serializable", ser | process, below_ssser},
        {"strict-serializable", ser | process | all_variants(CycleVariant::Realtime),
         below_ssser | model_bit(M::StrongSessionSerializable)},
    };
}

const std::vector<ModelEntry>& models() {
    static const auto table = model_table();
    return table;
}

}  // namespace

const char* to_string(AnomalyClass c) {
    return kClasses[static_cast<int>(c)].name;
}

std::string_view describe(AnomalyClass c) {
    return kClasses[static_cast<int>(c)].description;
}

bool is_cycle(AnomalyClass c) {
    return static_cast<int>(c) >= kFirstCycle;
}

AnomalyClass cycle_class(int kind, CycleVariant variant) {
    return static_cast<AnomalyClass>(kFirstCycle + static_cast<int>(variant) * kDataKinds + kind);
}

int data_kind(AnomalyClass c) {
    return (static_cast<int>(c) - kFirstCycle) % kDataKinds;
}

CycleVariant variant(AnomalyClass c) {
    return static_cast<CycleVariant>((static_cast<int>(c) - kFirstCycle) / kDataKinds);
}

AnomalySet implied_by(AnomalyClass c) {
    if (!is_cycle(c)) return bit(c);
    // Data kinds 0 G0, 1 G1c, 2 G-single, 3 G-nonadjacent, 4 G2-item: a G0 is
    // a G1c; a G-single is a G-nonadjacent-or-G2 cycle in Elle's sense.
    static const std::vector<std::vector<int>> weaker = {{0, 1}, {1}, {2, 3, 4}, {3, 4}, {4}};
    AnomalySet set = 0;
    for (int kind : weaker[static_cast<size_t>(data_kind(c))]) {
        set |= variants_from(kind, variant(c));
    }
    return set;
}

const char* to_string(ConsistencyModel model) {
    return models()[static_cast<size_t>(model)].name;
}

std::string consistency_model_names() {
    std::string names;
    for (int m = kConsistencyModelCount - 1; m >= 0; --m) {
        names += models()[static_cast<size_t>(m)].name;
        if (m > 0) names += ", ";
    }
    return names;
}

ConsistencyModel consistency_model_named(std::string_view name) {
    for (int m = 0; m < kConsistencyModelCount; ++m) {
        if (name == models()[static_cast<size_t>(m)].name) return static_cast<ConsistencyModel>(m);
    }
    throw bad_input("unknown consistency model '" + std::string(name) + "' (" +
                    consistency_model_names() + ")");
}

AnomalySet forbidden_by(ConsistencyModel model) {
    return models()[static_cast<size_t>(model)].forbids;
}

bool needs_process_order(ConsistencyModel model) {
    return model == ConsistencyModel::StrongSessionSnapshotIsolation ||
           model == ConsistencyModel::StrongSessionSerializable;
}

bool needs_realtime_order(ConsistencyModel model) {
    return model == ConsistencyModel::StrictSerializable;
}

RuledOut ruled_out(AnomalySet found) {
    AnomalySet implied = 0;
    for (int c = 0; c < kAnomalyClassCount; ++c) {
        if (found & (AnomalySet{1} << c)) implied |= implied_by(static_cast<AnomalyClass>(c));
    }
    uint32_t out = 0;
    for (int m = 0; m < kConsistencyModelCount; ++m) {
        if (models()[static_cast<size_t>(m)].forbids & implied) out |= uint32_t{1} << m;
    }
    RuledOut result;
    for (int m = 0; m < kConsistencyModelCount; ++m) {
        if (!(out & (uint32_t{1} << m))) continue;
        bool weakest = !(models()[static_cast<size_t>(m)].implies & out);
        (weakest ? result.weakest : result.also).push_back(static_cast<ConsistencyModel>(m));
    }
    return result;
}

}  // namespace atomixtest::txn
