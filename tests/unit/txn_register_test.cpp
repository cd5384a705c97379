// rw-register: hand-made histories per anomaly class. Version orders come
// only from nil (before every value) and writes-follow-reads inside a
// transaction, with every written value unique.
#include <gtest/gtest.h>

#include "txn/txn_report.hpp"
#include "txn_test_history.hpp"

namespace atomixtest {
namespace {

using testing::check_txns;
using testing::concurrent_txns;
using testing::first_of;
using txn::AnomalyClass;
using txn::ConsistencyModel;
using txn::TxnModel;
using txn::TxnVerdict;

using testing::J;

txn::TxnCheckResult check(const std::vector<testing::HandTxn>& txns,
                          ConsistencyModel model = ConsistencyModel::Serializable) {
    return check_txns(concurrent_txns(txns), TxnModel::RwRegister, model);
}

TEST(TxnRegister, SerialReadsAndWritesAreValid) {
    auto result = check_txns(testing::sequential_txns({{1, J(R"([["w","x",1],["w","y",2]])")},
                                                       {2, J(R"([["r","x",1],["w","x",3]])")},
                                                       {3, J(R"([["r","x",3],["r","y",2]])")}}),
                             TxnModel::RwRegister);
    EXPECT_EQ(result.verdict, TxnVerdict::Valid) << format_txn_result(result);
    EXPECT_EQ(result.found, 0u);
}

TEST(TxnRegister, G1cEachReadsTheOthersWrite) {
    auto result =
        check({{1, J(R"([["w","x",1],["r","y",1]])")}, {2, J(R"([["w","y",1],["r","x",1]])")}});
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::G1c));
    const auto* cycle = first_of(result, AnomalyClass::G1c);
    ASSERT_NE(cycle, nullptr);
    EXPECT_NE(cycle->explanation.find("wrote x = 1, which T"), std::string::npos)
        << cycle->explanation;
}

TEST(TxnRegister, GSingleReadSkewAgainstNil) {
    auto result =
        check({{1, J(R"([["w","x",1],["w","y",1]])")}, {2, J(R"([["r","x",null],["r","y",1]])")}},
              ConsistencyModel::SnapshotIsolation);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::GSingle));
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
    EXPECT_NE(first_of(result, AnomalyClass::GSingle)
                  ->explanation.find("read x = nil, the initial state, which T"),
              std::string::npos)
        << first_of(result, AnomalyClass::GSingle)->explanation;
}

TEST(TxnRegister, WritesFollowReadsOrderVersions) {
    // T2 read 1 and wrote 2, so 1 < 2; T3 read 1 after 2 was written by T2,
    // which T3 read before: T3 < T2 (rw) and T2 < T3 (wr).
    auto result = check({{1, J(R"([["w","x",1]])")},
                         {2, J(R"([["r","x",1],["w","x",2],["w","y",5]])")},
                         {3, J(R"([["r","y",5],["r","x",1]])")}});
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::GSingle)) << format_txn_result(result);
    EXPECT_NE(first_of(result, AnomalyClass::GSingle)->explanation.find("read x = 1, and T"),
              std::string::npos);
}

TEST(TxnRegister, AbortedIntermediateAndGarbageReads) {
    auto aborted = check({{1, J(R"([["w","x",1]])"), EventType::Fail}, {2, J(R"([["r","x",1]])")}});
    EXPECT_EQ(aborted.found, txn::bit(AnomalyClass::G1a));
    auto intermediate = check({{1, J(R"([["w","x",1],["w","x",2]])")}, {2, J(R"([["r","x",1]])")}});
    EXPECT_TRUE(intermediate.found & txn::bit(AnomalyClass::G1b));
    auto garbage = check({{1, J(R"([["w","x",1]])")}, {2, J(R"([["r","x",7]])")}});
    EXPECT_EQ(garbage.found, txn::bit(AnomalyClass::GarbageRead));
}

TEST(TxnRegister, InternalCyclicVersionsAndLostUpdates) {
    auto internal = check({{1, J(R"([["w","x",1],["r","x",null]])")}});
    EXPECT_EQ(internal.found, txn::bit(AnomalyClass::Internal));
    auto cyclic =
        check({{1, J(R"([["r","x",1],["w","x",2]])")}, {2, J(R"([["r","x",2],["w","x",1]])")}});
    EXPECT_TRUE(cyclic.found & txn::bit(AnomalyClass::CyclicVersions)) << format_txn_result(cyclic);
    auto lost = check({{0, J(R"([["w","x",1]])")},
                       {1, J(R"([["r","x",1],["w","x",2]])")},
                       {2, J(R"([["r","x",1],["w","x",3]])")}},
                      ConsistencyModel::SnapshotIsolation);
    EXPECT_TRUE(lost.found & txn::bit(AnomalyClass::LostUpdate)) << format_txn_result(lost);
    EXPECT_EQ(lost.verdict, TxnVerdict::Invalid);
    auto twice = check({{1, J(R"([["w","x",1]])")}, {2, J(R"([["w","x",1]])")}});
    EXPECT_EQ(twice.found, txn::bit(AnomalyClass::DuplicateWrites));
    EXPECT_EQ(twice.verdict, TxnVerdict::Unknown);
}

}  // namespace
}  // namespace atomixtest
