#include "check/operations.hpp"

#include <tuple>

#include "atomixtest/error.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

namespace {

// Signed and unsigned integers (nlohmann reads 3 as unsigned) are one kind.
bool is_int64(const nlohmann::json& value) {
    return value.is_number_integer() &&
           (!value.is_number_unsigned() || value.get<uint64_t>() <= INT64_MAX);
}

// A hash map node and its bucket, about.
constexpr size_t kNodeBytes = 64;

size_t json_bytes(const nlohmann::json& value) {
    if (value.is_string())
        return sizeof(nlohmann::json) + value.get_ref<const std::string&>().size();
    if (!value.is_structured()) return sizeof(nlohmann::json);
    return sizeof(nlohmann::json) + 48 * value.size() + value.dump().size();
}

}  // namespace

ValuePool::ValuePool() {
    values_.emplace_back(nullptr);
    others_.emplace(nlohmann::json(nullptr), kNull);
}

uint32_t ValuePool::intern(const nlohmann::json& value) {
    auto next = static_cast<uint32_t>(values_.size());
    bool inserted = false;
    uint32_t id = 0;
    size_t key_bytes = 0;
    if (value.is_string()) {
        auto [found, fresh] = strings_.try_emplace(value.get_ref<const std::string&>(), next);
        std::tie(id, inserted) = std::pair{found->second, fresh};
        key_bytes = value.get_ref<const std::string&>().size();
    } else if (is_int64(value)) {
        auto [found, fresh] = integers_.try_emplace(value.get<int64_t>(), next);
        std::tie(id, inserted) = std::pair{found->second, fresh};
    } else {
        // Hashing a JSON value recurses: the readers and the collector hold
        // values to kMaxValueDepth first.
        auto [found, fresh] = others_.try_emplace(value, next);
        std::tie(id, inserted) = std::pair{found->second, fresh};
        key_bytes = json_bytes(value);
    }
    if (inserted) {
        values_.push_back(value);
        bytes_ += kNodeBytes + key_bytes + json_bytes(value);
    }
    return id;
}

std::optional<uint32_t> ValuePool::find(const nlohmann::json& value) const {
    if (value.is_string()) {
        auto found = strings_.find(value.get_ref<const std::string&>());
        if (found != strings_.end()) return found->second;
        return std::nullopt;
    }
    if (is_int64(value)) {
        auto found = integers_.find(value.get<int64_t>());
        if (found != integers_.end()) return found->second;
        return std::nullopt;
    }
    auto found = others_.find(value);
    if (found == others_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::vector<uint32_t>> OperationTable::by_key() const {
    std::vector<std::vector<uint32_t>> parts(keys.size());
    for (uint32_t i = 0; i < operations.size(); ++i) parts[operations[i].key].push_back(i);
    return parts;
}

OperationCollector::OperationCollector(std::string source, MemoryBudget* budget)
    : budget_(budget), charge_(budget, 0) {
    table_.source = std::move(source);
    table_.keys.emplace_back(std::nullopt);
}

uint32_t OperationCollector::name_id(const std::string& f) {
    auto [found, inserted] = name_ids_.try_emplace(f, static_cast<uint32_t>(table_.names.size()));
    if (inserted) table_.names.push_back(f);
    return found->second;
}

uint32_t OperationCollector::key_id(const std::optional<std::string>& key) {
    if (!key) return 0;
    auto [found, inserted] = key_ids_.try_emplace(*key, static_cast<uint32_t>(table_.keys.size()));
    if (inserted) table_.keys.emplace_back(*key);
    return found->second;
}

size_t OperationCollector::bytes() const {
    // The operations, their failed marks, the pending index, names and keys.
    return table_.operations.capacity() * sizeof(Operation) + failed_.capacity() / 8 +
           pending_.size() * kNodeBytes + table_.values.bytes() +
           (key_ids_.size() + name_ids_.size()) * (2 * kNodeBytes);
}

void OperationCollector::refuse_if_too_deep(const HistoryEvent& event) const {
    if (nested_too_deep(event.value)) {
        throw_at(table_.source, event.line, event.column == 0 ? 1 : event.column,
                 "a value nested deeper than " + std::to_string(kMaxValueDepth));
    }
}

void OperationCollector::add(const HistoryEvent& event) {
    // Before the copy: copying a value recurses as deep as it nests.
    if (event.process != kNemesisProcess) refuse_if_too_deep(event);
    add_within_depth(HistoryEvent(event));
}

void OperationCollector::add(HistoryEvent&& event) {
    if (event.process != kNemesisProcess) refuse_if_too_deep(event);
    add_within_depth(std::move(event));
}

void OperationCollector::add_within_depth(HistoryEvent&& event) {
    auto position = position_++;
    if (event.process == kNemesisProcess) return;  // faults are context, not operations
    auto fail = [&](const std::string& message) {
        throw_at(table_.source, event.line, event.column == 0 ? 1 : event.column, message);
    };
    if (budget_ &&
        (position % 1024 == 0 || table_.operations.size() == table_.operations.capacity())) {
        // Growing the table holds the old and the new at once: both must fit.
        auto growing = table_.operations.size() == table_.operations.capacity()
                           ? 2 * table_.operations.capacity() * sizeof(Operation)
                           : 0;
        charge_.resize(bytes());
        if (position % (1 << 16) == 0) budget_->sample();
        if (!budget_->fits(growing)) throw MemoryLimitReached{};
    }
    auto process = std::to_string(event.process);
    if (event.type == EventType::Invoke) {
        auto [pending, fresh] =
            pending_.try_emplace(event.process, static_cast<uint32_t>(table_.operations.size()));
        if (!fresh) {
            const auto& open = table_.operations[pending->second];
            fail("process " + process + " invokes " + event.f + " while its " +
                 table_.names[open.f] + " (line " + std::to_string(open.invoke_line) +
                 ") has not completed");
        }
        Operation op;
        op.process = event.process;
        op.key = key_id(event.key);
        op.f = name_id(event.f);
        op.value = table_.values.intern(event.value);
        op.invoked_at = position;
        op.invoke_ns = event.time_ns;
        op.invoke_line = event.line;
        op.invoke_column = event.column;
        table_.operations.push_back(op);
        failed_.push_back(false);
        return;
    }
    auto pending = pending_.find(event.process);
    if (pending == pending_.end()) {
        fail("an " + std::string(to_string(event.type)) + " of " + event.f + " for process " +
             process + ", which has no invocation pending");
    }
    auto index = pending->second;
    pending_.erase(pending);
    auto& op = table_.operations[index];
    if (table_.names[op.f] != event.f) {
        fail("process " + process + " completes " + event.f + " but invoked " + table_.names[op.f] +
             " (line " + std::to_string(op.invoke_line) + ")");
    }
    if (key_id(event.key) != op.key && event.key) {
        fail("process " + process + " completes key " + *event.key + " but invoked key " +
             table_.keys[op.key].value_or("(none)") + " (line " + std::to_string(op.invoke_line) +
             ")");
    }
    op.type = event.type;
    op.complete_ns = event.time_ns;
    op.complete_line = event.line;
    if (event.type == EventType::Info) return;  // completes at +infinity
    op.completed_at = position;
    op.result = table_.values.intern(event.value);
    if (event.type == EventType::Fail) failed_[index] = true;
}

OperationTable OperationCollector::finish() {
    // Invocations never completed stay info, as in Jepsen: the client crashed.
    size_t kept = 0;
    for (size_t i = 0; i < table_.operations.size(); ++i) {
        if (failed_[i]) continue;
        table_.operations[kept++] = table_.operations[i];
    }
    table_.operations.resize(kept);  // not shrunk: a copy would need both at once
    return std::move(table_);
}

}  // namespace atomixtest
