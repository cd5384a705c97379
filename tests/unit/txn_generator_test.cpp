// Properties on generated histories (support/txn_history_generator.hpp):
// serial executions of random transactions, concurrency-shifted, with failed
// and info transactions, are valid for strict serializability; one injected
// fault produces exactly the class it should; both formats carry
// transactions and read back to the same verdict.
#include <gtest/gtest.h>

#include <sstream>

#include "txn/txn_report.hpp"
#include "txn_history_generator.hpp"
#include "txn_test_history.hpp"

namespace atomixtest {
namespace {

using testing::TxnFault;
using txn::AnomalyClass;
using txn::TxnModel;

testing::TxnHistoryOptions options_for(TxnModel model, uint64_t seed, int processes) {
    testing::TxnHistoryOptions options;
    options.shape.model = model;
    options.shape.key_count = 1 + static_cast<int>(seed % 5);
    options.shape.txn_keys = 1 + static_cast<int>(seed % 3);
    options.shape.max_txn_length = 1 + static_cast<int>(seed % 6);
    options.shape.max_writes_per_key = 4 + static_cast<int>(seed % 20);
    options.transactions = 300;
    options.processes = processes;
    options.seed = seed;
    options.fail_rate = 0.05;
    options.info_rate = 0.03;
    return options;
}

TEST(TxnGenerator, SerialExecutionsShiftedIntoConcurrencyStayValid) {
    for (auto model : {TxnModel::ListAppend, TxnModel::RwRegister}) {
        for (uint64_t seed = 1; seed <= 40; ++seed) {
            for (int processes : {1, 5, 20}) {
                auto history = testing::generate_txn_history(options_for(model, seed, processes));
                auto result = testing::check_txns(history, model);
                ASSERT_EQ(result.verdict, txn::TxnVerdict::Valid)
                    << to_string(model) << " seed " << seed << " processes " << processes << "\n"
                    << format_txn_result(result);
                ASSERT_EQ(result.found, 0u);
            }
        }
    }
}

TEST(TxnGenerator, OneInjectedFaultGivesExactlyItsClass) {
    struct Case {
        TxnModel model;
        TxnFault fault;
        AnomalyClass expected;
    };
    const Case cases[] = {
        {TxnModel::ListAppend, TxnFault::MissingElement, AnomalyClass::IncompatibleOrder},
        {TxnModel::ListAppend, TxnFault::SwappedElements, AnomalyClass::IncompatibleOrder},
        {TxnModel::ListAppend, TxnFault::DuplicatedElement, AnomalyClass::DuplicateElements},
        {TxnModel::ListAppend, TxnFault::GarbageElement, AnomalyClass::GarbageRead},
        {TxnModel::RwRegister, TxnFault::GarbageElement, AnomalyClass::GarbageRead},
    };
    for (const auto& c : cases) {
        int injected = 0;
        for (uint64_t seed = 1; seed <= 30; ++seed) {
            auto options = options_for(c.model, seed, 10);
            options.shape.max_writes_per_key = 30;
            options.fault = c.fault;
            bool injected_here = false;
            auto faulty = testing::generate_txn_history(options, &injected_here);
            if (!injected_here) continue;  // no read fit the fault
            ++injected;
            auto result = testing::check_txns(faulty, c.model);
            ASSERT_EQ(result.found, txn::bit(c.expected))
                << to_string(c.expected) << " expected, seed " << seed << "\n"
                << format_txn_result(result);
            ASSERT_EQ(result.verdict, txn::TxnVerdict::Invalid);
        }
        EXPECT_GT(injected, 20) << to_string(c.expected);
    }
}

TEST(TxnGenerator, TransactionsReadBackFromEdnAndJsonLines) {
    auto options = options_for(TxnModel::ListAppend, 7, 10);
    options.fault = TxnFault::SwappedElements;
    auto history = testing::generate_txn_history(options);
    std::stringstream edn, jsonl;
    write_history_edn(edn, history);
    write_history_jsonl(jsonl, history);
    // Micro-ops are keywords in EDN, as Jepsen writes them.
    EXPECT_NE(edn.str().find("[:append "), std::string::npos) << edn.str().substr(0, 300);
    auto from_edn = read_history_edn(edn.str(), "h.edn");
    auto from_jsonl = read_history_jsonl(jsonl, "h.jsonl");
    auto expected = testing::check_txns(history, TxnModel::ListAppend);
    for (const auto* read : {&from_edn, &from_jsonl}) {
        auto result = testing::check_txns(*read, TxnModel::ListAppend);
        EXPECT_EQ(result.found, expected.found);
        EXPECT_EQ(result.verdict, expected.verdict);
    }
}

}  // namespace
}  // namespace atomixtest
