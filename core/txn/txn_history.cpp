#include "txn/txn_history.hpp"

#include "atomixtest/error.hpp"
#include "history/event_fields.hpp"

namespace atomixtest::txn {

namespace {

// nlohmann reads 3 as unsigned: both signs are one kind here.
bool is_int64(const nlohmann::json& value) {
    return value.is_number_integer() &&
           (!value.is_number_unsigned() || value.get<uint64_t>() <= INT64_MAX);
}

bool is_scalar(const nlohmann::json& value) {
    return is_int64(value) || value.is_string();
}

const char* write_name(TxnModel model) {
    return model == TxnModel::ListAppend ? "append" : "w";
}

}  // namespace

const char* to_string(TxnModel model) {
    return model == TxnModel::ListAppend ? "list-append" : "rw-register";
}

uint32_t Interner::intern(const nlohmann::json& value) {
    auto next = static_cast<uint32_t>(values_.size());
    if (value.is_string()) {
        auto [found, inserted] = strings_.try_emplace(value.get_ref<const std::string&>(), next);
        if (inserted) values_.push_back(value);
        return found->second;
    }
    auto [found, inserted] = integers_.try_emplace(value.get<int64_t>(), next);
    if (inserted) values_.push_back(value);
    return found->second;
}

TxnCollector::TxnCollector(std::string source, TxnModel model) {
    history_.source = std::move(source);
    history_.model = model;
}

void TxnCollector::fail(const HistoryEvent& event, const std::string& message) const {
    throw_at(history_.source, event.line, event.column == 0 ? 1 : event.column, message);
}

void TxnCollector::parse_mops(const HistoryEvent& event, bool completion, Txn& txn) {
    auto model = history_.model;
    std::string shape =
        std::string("a transaction is a list of micro-ops [f key value], f being ") +
        write_name(model) + " or r";
    if (!event.value.is_array()) fail(event, shape + ", not " + printable(event.value));
    if (completion && event.value.size() != txn.mop_count) {
        fail(event, "the completion has " + std::to_string(event.value.size()) +
                        " micro-ops, its invocation (line " + std::to_string(txn.invoke_line) +
                        ") " + std::to_string(txn.mop_count));
    }
    if (!completion) txn.mops_at = static_cast<uint32_t>(history_.mops.size());
    uint32_t index = 0;
    for (const auto& item : event.value) {
        auto what = "micro-op " + std::to_string(index + 1) + " ";
        if (!item.is_array() || item.size() != 3 || !item[0].is_string()) {
            fail(event, what + printable(item) + ": " + shape);
        }
        const auto& f = item[0].get_ref<const std::string&>();
        MopKind kind;
        if (f == "r") {
            kind = MopKind::Read;
        } else if (f == write_name(model)) {
            kind = model == TxnModel::ListAppend ? MopKind::Append : MopKind::Write;
        } else {
            fail(event, what + printable(item) + ": the model " + to_string(model) + " knows " +
                            write_name(model) + " and r, not " + f);
        }
        if (!is_scalar(item[1])) {
            fail(event, what + printable(item) + ": a key is an integer or a string");
        }
        auto key = history_.keys.intern(item[1]);
        const auto& value = item[2];
        if (kind != MopKind::Read && !is_scalar(value)) {
            fail(event, what + printable(item) + ": a written value is an integer or a string");
        }
        if (!completion) {
            Mop mop;
            mop.kind = kind;
            mop.key = key;
            if (kind != MopKind::Read) mop.value = history_.values.intern(value);
            history_.mops.push_back(mop);
            ++index;
            continue;
        }
        auto& mop = history_.mops[txn.mops_at + index];
        if (mop.kind != kind || mop.key != key ||
            (kind != MopKind::Read && history_.values.intern(value) != mop.value)) {
            fail(event, what + printable(item) + " differs from the invocation's (line " +
                            std::to_string(txn.invoke_line) + ")");
        }
        if (kind == MopKind::Read && model == TxnModel::RwRegister) {
            if (!value.is_null() && !is_scalar(value)) {
                fail(event, what + printable(item) + ": a register holds an integer or a string");
            }
            mop.value = value.is_null() ? kNone : history_.values.intern(value);
        } else if (kind == MopKind::Read) {
            // Jepsen reads an absent list as nil: the empty list.
            if (!value.is_null() && !value.is_array()) {
                fail(event, what + printable(item) + ": a list read is a list or nil");
            }
            mop.list_at = static_cast<uint32_t>(history_.elements.size());
            mop.list_size = value.is_null() ? 0 : static_cast<uint32_t>(value.size());
            if (value.is_array()) {
                for (const auto& element : value) {
                    if (!is_scalar(element)) {
                        fail(event,
                             what + printable(item) + ": list elements are integers or strings");
                    }
                    history_.elements.push_back(history_.values.intern(element));
                }
            }
        }
        ++index;
    }
    if (!completion) txn.mop_count = index;
}

void TxnCollector::add(HistoryEvent&& event) {
    auto position = position_++;
    if (event.process == kNemesisProcess) return;  // faults are context, not transactions
    auto process = std::to_string(event.process);
    if (event.type == EventType::Invoke) {
        auto [pending, fresh] =
            pending_.try_emplace(event.process, static_cast<uint32_t>(history_.txns.size()));
        if (!fresh) {
            fail(event, "process " + process + " invokes while its transaction of line " +
                            std::to_string(history_.txns[pending->second].invoke_line) +
                            " has not completed");
        }
        Txn txn;
        txn.process = event.process;
        txn.invoked_at = position;
        txn.invoke_ns = event.time_ns;
        txn.invoke_line = event.line;
        parse_mops(event, false, txn);
        history_.txns.push_back(txn);
        return;
    }
    auto pending = pending_.find(event.process);
    if (pending == pending_.end()) {
        fail(event, "an " + std::string(to_string(event.type)) + " for process " + process +
                        ", which has no transaction pending");
    }
    auto& txn = history_.txns[pending->second];
    pending_.erase(pending);
    txn.type = event.type;
    txn.complete_ns = event.time_ns;
    txn.complete_line = event.line;
    // An info may take effect at any time after its invocation: it never
    // completes. fail and info keep the invocation's micro-ops (their reads
    // are unknown); the completion's value is often an error.
    if (event.type != EventType::Info) txn.completed_at = position;
    if (event.type == EventType::Ok) parse_mops(event, true, txn);
}

TxnHistory TxnCollector::finish() {
    // Invocations never completed stay info, as in Jepsen: the client crashed.
    return std::move(history_);
}

TxnHistory read_txn_history(const std::filesystem::path& path, HistoryFormat format,
                            TxnModel model) {
    TxnCollector collector(path.string(), model);
    read_history_file(path, format, [&](HistoryEvent&& event) { collector.add(std::move(event)); });
    return collector.finish();
}

}  // namespace atomixtest::txn
