// Thousands of mutated and truncated histories of transactions through the
// readers, the transactional collector and the checker, for both models:
// each is checked or refused with Error(BadInput), nothing crashes and
// nothing else is thrown. (tests/fuzz/ has the same as the libFuzzer target
// `txn` for longer runs.)
#include <gtest/gtest.h>

#include <sstream>

#include "atomixtest/error.hpp"
#include "text_mutation.hpp"
#include "txn/txn_report.hpp"
#include "txn_history_generator.hpp"

namespace atomixtest {
namespace {

bool survives(const std::string& text, HistoryFormat format, txn::TxnModel model) {
    try {
        History history;
        if (format == HistoryFormat::Edn) {
            history = read_history_edn(text, "fuzz.edn");
        } else {
            std::stringstream in(text);
            history = read_history_jsonl(in, "fuzz.jsonl");
        }
        txn::TxnCollector collector("fuzz", model);
        for (auto event : history) collector.add(std::move(event));
        txn::TxnCheckOptions options;
        options.model = model;
        options.limits = {20'000, 1};
        auto result = txn::check_txn_history(collector.finish(), options);
        txn::format_txn_result(result);
        txn::to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        return true;
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput) << error.what() << "\n" << text;
    } catch (const std::exception& error) {
        ADD_FAILURE() << "not an Error: " << error.what() << "\n" << text;
    }
    return false;
}

TEST(TxnFuzz, MutatedHistoriesAreCheckedOrBadInput) {
    std::mt19937_64 random(20240611);
    for (auto model : {txn::TxnModel::ListAppend, txn::TxnModel::RwRegister}) {
        testing::TxnHistoryOptions options;
        options.shape.model = model;
        options.shape.key_count = 2;
        options.transactions = 25;
        options.processes = 4;
        options.fail_rate = 0.1;
        options.info_rate = 0.1;
        auto history = testing::generate_txn_history(options);
        std::stringstream jsonl, edn;
        write_history_jsonl(jsonl, history);
        write_history_edn(edn, history);
        int accepted = 0;
        for (int i = 0; i < 2000; ++i) {
            accepted += survives(testing::mutate(jsonl.str(), random), HistoryFormat::Jsonl, model);
            accepted += survives(testing::mutate(edn.str(), random), HistoryFormat::Edn, model);
        }
        EXPECT_GT(accepted, 0) << "some mutations keep the history valid";
        // The other model's history: refused per micro-op, never a crash.
        auto other = model == txn::TxnModel::ListAppend ? txn::TxnModel::RwRegister
                                                        : txn::TxnModel::ListAppend;
        EXPECT_FALSE(survives(jsonl.str(), HistoryFormat::Jsonl, other));
    }
}

}  // namespace
}  // namespace atomixtest
