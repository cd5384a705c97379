// One small hand-made history per anomaly class (list-append), after Adya's
// definitions: each is found, classified, and explained with the right
// transactions; the consistency model decides which of them fail the
// verdict. (txn_elle_histories_test.cpp has the histories from Elle.)
#include <gtest/gtest.h>

#include "atomixtest/history.hpp"
#include "txn/txn_report.hpp"
#include "txn_test_history.hpp"

namespace atomixtest {
namespace {

using testing::check_txns;
using testing::concurrent_txns;
using testing::first_of;
using testing::sequential_txns;
using txn::AnomalyClass;
using txn::ConsistencyModel;
using txn::TxnModel;
using txn::TxnVerdict;

using testing::J;

TEST(TxnAnomalies, G0WriteCycle) {
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1],["append","y",1]])")},
                                              {2, J(R"([["append","x",2],["append","y",2]])")},
                                              {3, J(R"([["r","x",[1,2]],["r","y",[2,1]]])")}}),
                             TxnModel::ListAppend);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::G0));
    const auto* g0 = first_of(result, AnomalyClass::G0);
    ASSERT_NE(g0, nullptr);
    EXPECT_EQ(g0->txns.size(), 2u);
    EXPECT_NE(g0->explanation.find("appended 2 after"), std::string::npos) << g0->explanation;
    EXPECT_EQ(result.ruled_out.weakest[0], ConsistencyModel::ReadUncommitted);
}

TEST(TxnAnomalies, G1aAbortedRead) {
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1]])"), EventType::Fail},
                                              {2, J(R"([["r","x",[1]]])")}}),
                             TxnModel::ListAppend, ConsistencyModel::ReadCommitted);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::G1a));
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
    const auto* g1a = first_of(result, AnomalyClass::G1a);
    ASSERT_NE(g1a, nullptr);
    EXPECT_EQ(result.history.txns[g1a->txns[0]].process, 2);  // the reader
    EXPECT_EQ(result.history.txns[g1a->txns[1]].process, 1);  // the failed writer
    EXPECT_NE(g1a->explanation.find("appended by T2, which failed"), std::string::npos);
}

TEST(TxnAnomalies, G1bIntermediateRead) {
    // Reading T1's first append but not its second is also a read skew cycle.
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1],["append","x",2]])")},
                                              {2, J(R"([["r","x",[1]]])")},
                                              {3, J(R"([["r","x",[1,2]]])")}}),
                             TxnModel::ListAppend, ConsistencyModel::ReadCommitted);
    EXPECT_TRUE(result.found & txn::bit(AnomalyClass::G1b));
    EXPECT_EQ(result.forbidden, txn::bit(AnomalyClass::G1b));
    const auto* g1b = first_of(result, AnomalyClass::G1b);
    ASSERT_NE(g1b, nullptr);
    EXPECT_EQ(result.history.txns[g1b->txns[0]].process, 2);
    EXPECT_EQ(result.history.txns[g1b->txns[1]].process, 1);
    EXPECT_NE(g1b->explanation.find("intermediate state"), std::string::npos);
}

TEST(TxnAnomalies, GSingleReadSkew) {
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1],["append","y",1]])")},
                                              {2, J(R"([["r","x",[]],["r","y",[1]]])")}}),
                             TxnModel::ListAppend, ConsistencyModel::SnapshotIsolation);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::GSingle));
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
    const auto* cycle = first_of(result, AnomalyClass::GSingle);
    ASSERT_NE(cycle, nullptr);
    EXPECT_NE(cycle->explanation.find("observed the initial (empty) state of x, which"),
              std::string::npos)
        << cycle->explanation;
    EXPECT_NE(cycle->explanation.find("'s append of 1 to key y"), std::string::npos)
        << cycle->explanation;
}

TEST(TxnAnomalies, G2ItemWriteSkewIsAllowedBySnapshotIsolationOnly) {
    auto history = concurrent_txns({{1, J(R"([["r","x",[]],["append","y",1]])")},
                                    {2, J(R"([["r","y",[]],["append","x",1]])")}});
    auto si = check_txns(history, TxnModel::ListAppend, ConsistencyModel::SnapshotIsolation);
    EXPECT_EQ(si.found, txn::bit(AnomalyClass::G2Item));
    EXPECT_EQ(si.verdict, TxnVerdict::Valid);
    auto serializable = check_txns(history, TxnModel::ListAppend, ConsistencyModel::Serializable);
    EXPECT_EQ(serializable.verdict, TxnVerdict::Invalid);
    const auto* cycle = first_of(serializable, AnomalyClass::G2Item);
    ASSERT_NE(cycle, nullptr);
    EXPECT_EQ(cycle->steps, (std::vector<uint8_t>{txn::kRw, txn::kRw}));
}

TEST(TxnAnomalies, GNonadjacentRwEdgesApart) {
    // T1 -rw-> T2 -wr-> T3 -rw-> T4 -wr-> T1: two anti-dependencies, never
    // adjacent, which snapshot isolation forbids though it has no G-single.
    auto result = check_txns(concurrent_txns({{1, J(R"([["r","a",[]],["r","d",[1]]])")},
                                              {2, J(R"([["append","a",1],["append","b",1]])")},
                                              {3, J(R"([["r","b",[1]],["r","c",[]]])")},
                                              {4, J(R"([["append","c",1],["append","d",1]])")}}),
                             TxnModel::ListAppend, ConsistencyModel::SnapshotIsolation);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::GNonadjacent)) << format_txn_result(result);
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
}

TEST(TxnAnomalies, InternalInconsistency) {
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1],["r","x",[]]])")}}),
                             TxnModel::ListAppend, ConsistencyModel::Serializable);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::Internal));
    const auto* internal = first_of(result, AnomalyClass::Internal);
    ASSERT_NE(internal, nullptr);
    EXPECT_NE(internal->explanation.find("its own earlier micro-ops make it [... 1]"),
              std::string::npos)
        << internal->explanation;
    // Read committed says nothing of a transaction's view of itself.
    EXPECT_EQ(check_txns(concurrent_txns({{1, J(R"([["append","x",1],["r","x",[]]])")}}),
                         TxnModel::ListAppend, ConsistencyModel::ReadCommitted)
                  .verdict,
              TxnVerdict::Valid);
}

TEST(TxnAnomalies, FutureRead) {
    auto result = check_txns(concurrent_txns({{1, J(R"([["r","x",[1]],["append","x",1]])")}}),
                             TxnModel::ListAppend);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::FutureRead));
}

TEST(TxnAnomalies, LostUpdate) {
    auto result = check_txns(concurrent_txns({{0, J(R"([["append","x",1]])")},
                                              {1, J(R"([["r","x",[1]],["append","x",2]])")},
                                              {2, J(R"([["r","x",[1]],["append","x",3]])")}}),
                             TxnModel::ListAppend, ConsistencyModel::SnapshotIsolation);
    EXPECT_TRUE(result.found & txn::bit(AnomalyClass::LostUpdate)) << format_txn_result(result);
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
    const auto* lost = first_of(result, AnomalyClass::LostUpdate);
    ASSERT_NE(lost, nullptr);
    EXPECT_EQ(lost->txns.size(), 2u);
    EXPECT_NE(lost->explanation.find("read x ending with 1 and then appended to it"),
              std::string::npos)
        << lost->explanation;
}

TEST(TxnAnomalies, IncompatibleOrder) {
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1]])")},
                                              {2, J(R"([["append","x",2]])")},
                                              {3, J(R"([["r","x",[1,2]]])")},
                                              {4, J(R"([["r","x",[2,1]]])")}}),
                             TxnModel::ListAppend);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::IncompatibleOrder));
    EXPECT_NE(first_of(result, AnomalyClass::IncompatibleOrder)
                  ->explanation.find("T1 read [2 1] from x and T2 read [1 2]"),
              std::string::npos);
}

TEST(TxnAnomalies, DuplicateElementsGarbageReadsAndDuplicateWrites) {
    auto duplicates = check_txns(
        concurrent_txns({{1, J(R"([["append","x",1]])")}, {2, J(R"([["r","x",[1,1]]])")}}),
        TxnModel::ListAppend, ConsistencyModel::ReadUncommitted);
    EXPECT_EQ(duplicates.found, txn::bit(AnomalyClass::DuplicateElements));
    EXPECT_EQ(duplicates.verdict, TxnVerdict::Invalid);
    auto garbage = check_txns(
        concurrent_txns({{1, J(R"([["append","x",1]])")}, {2, J(R"([["r","x",[1,9]]])")}}),
        TxnModel::ListAppend);
    EXPECT_EQ(garbage.found, txn::bit(AnomalyClass::GarbageRead));
    EXPECT_NE(first_of(garbage, AnomalyClass::GarbageRead)->explanation.find("nobody appended 9"),
              std::string::npos);
    // Writing a value twice breaks the inference's assumption: undecided.
    auto twice = check_txns(
        concurrent_txns({{1, J(R"([["append","x",1]])")}, {2, J(R"([["append","x",1]])")}}),
        TxnModel::ListAppend);
    EXPECT_EQ(twice.found, txn::bit(AnomalyClass::DuplicateWrites));
    EXPECT_EQ(twice.verdict, TxnVerdict::Unknown);
}

TEST(TxnAnomalies, StaleReadIsARealtimeCycleOnlyForStrictSerializability) {
    // T1 appends and completes; T2 begins afterwards and does not see it.
    auto history = sequential_txns({{1, J(R"([["append","x",1]])")}, {2, J(R"([["r","x",[]]])")}});
    auto strict = check_txns(history, TxnModel::ListAppend);
    EXPECT_EQ(strict.found, txn::bit(AnomalyClass::GSingleRealtime));
    EXPECT_EQ(strict.verdict, TxnVerdict::Invalid);
    EXPECT_NE(first_of(strict, AnomalyClass::GSingleRealtime)
                  ->explanation.find("T1 completed (line 2) before T2 began (line 3)"),
              std::string::npos)
        << first_of(strict, AnomalyClass::GSingleRealtime)->explanation;
    EXPECT_EQ(check_txns(history, TxnModel::ListAppend, ConsistencyModel::Serializable).verdict,
              TxnVerdict::Valid);
    // The same process: a session anomaly too.
    auto session =
        check_txns(sequential_txns({{1, J(R"([["append","x",1]])")}, {1, J(R"([["r","x",[]]])")}}),
                   TxnModel::ListAppend, ConsistencyModel::StrongSessionSerializable);
    EXPECT_EQ(session.found, txn::bit(AnomalyClass::GSingleProcess));
}

TEST(TxnAnomalies, InfoTransactionsMayHaveHappenedAndFailedOnesDidNot) {
    // An info append seen by a read is fine; an info append never seen is fine.
    auto result = check_txns(concurrent_txns({{1, J(R"([["append","x",1]])"), EventType::Info},
                                              {2, J(R"([["append","x",2]])"), EventType::Info},
                                              {3, J(R"([["r","x",[1]]])")}}),
                             TxnModel::ListAppend);
    EXPECT_EQ(result.verdict, TxnVerdict::Valid) << format_txn_result(result);
    EXPECT_EQ(result.info, 2u);
}

}  // namespace
}  // namespace atomixtest
