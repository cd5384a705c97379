// fuzz_txn_history: bytes as a history of transactions (EDN, then JSON
// Lines), paired by the transactional collector for both models and checked
// with a small search budget; what is accepted is written in both formats and
// must pair again to as many transactions.
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"
#include "fuzz_entries.hpp"
#include "txn/txn_check.hpp"
#include "txn/txn_report.hpp"

namespace atomixtest::fuzz {

namespace {

size_t pair_txns(const History& history, txn::TxnModel model) {
    txn::TxnCollector collector("fuzz", model);
    for (auto event : history) collector.add(std::move(event));
    return collector.finish().txns.size();
}

void check_both_models(const History& history) {
    for (auto model : {txn::TxnModel::ListAppend, txn::TxnModel::RwRegister}) {
        size_t txns = 0;
        try {
            txns = pair_txns(history, model);
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::BadInput) throw;
            continue;
        }
        txn::TxnCollector collector("fuzz", model);
        for (auto event : history) collector.add(std::move(event));
        txn::TxnCheckOptions options;
        options.model = model;
        options.limits = {10'000, 1};
        auto result = txn::check_txn_history(collector.finish(), options);
        txn::format_txn_result(result);
        txn::to_json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        std::stringstream edn, jsonl;
        write_history_edn(edn, history);
        write_history_jsonl(jsonl, history);
        if (pair_txns(read_history_edn(edn.str(), "written.edn"), model) != txns ||
            pair_txns(read_history_jsonl(jsonl, "written.jsonl"), model) != txns) {
            throw std::logic_error("the written history pairs to another number of transactions");
        }
    }
}

}  // namespace

int fuzz_txn_history(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    for (auto format : {HistoryFormat::Edn, HistoryFormat::Jsonl}) {
        History history;
        try {
            if (format == HistoryFormat::Edn) {
                history = read_history_edn(text, "fuzz.edn");
            } else {
                std::stringstream in(text);
                history = read_history_jsonl(in, "fuzz.jsonl");
            }
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::BadInput) throw;
            continue;
        }
        check_both_models(history);
    }
    return 0;
}

}  // namespace atomixtest::fuzz
