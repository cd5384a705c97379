// Histories from Elle (jepsen-io/elle: its README's G1c, its
// histories/si-without-g-single.edn, its unfindable-g-single stress test, as
// histories of our own making) judged as Elle judges them, and a search cut
// short left undecided.
#include <gtest/gtest.h>

#include "atomixtest/history.hpp"
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

TEST(TxnElleHistories, ElleReadmeG1cIsFoundAndExplainedInItsWords) {
    // Elle's README history, with the invocations Jepsen records.
    const char* edn = R"(
{:type :invoke, :process 0, :f :txn, :value [[:append :x 1] [:r :y nil]]}
{:type :invoke, :process 1, :f :txn, :value [[:append :x 2] [:append :y 1]]}
{:type :invoke, :process 2, :f :txn, :value [[:r :x nil]]}
{:type :ok, :process 0, :f :txn, :value [[:append :x 1] [:r :y [1]]]}
{:type :ok, :process 1, :f :txn, :value [[:append :x 2] [:append :y 1]]}
{:type :ok, :process 2, :f :txn, :value [[:r :x [1 2]]]}
)";
    auto result = check_txns(read_history_edn(edn, "readme.edn"), TxnModel::ListAppend,
                             ConsistencyModel::Serializable);
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::G1c));
    const auto* g1c = first_of(result, AnomalyClass::G1c);
    ASSERT_NE(g1c, nullptr);
    // T1 is process 1's transaction, T2 process 0's, as in Elle's G1c.txt.
    ASSERT_EQ(g1c->txns.size(), 2u);
    EXPECT_EQ(result.history.txns[g1c->txns[0]].process, 1);
    EXPECT_EQ(result.history.txns[g1c->txns[1]].process, 0);
    EXPECT_NE(g1c->explanation.find(
                  "T1 = {:process 1, :type :ok, :value [[:append :x 2] [:append :y 1]]}"),
              std::string::npos)
        << g1c->explanation;
    EXPECT_NE(g1c->explanation.find("- T1 < T2, because T2 observed T1's append of 1 to key y."),
              std::string::npos)
        << g1c->explanation;
    EXPECT_NE(g1c->explanation.find("- However, T2 < T1, because T1 appended 2 after T2 appended "
                                    "1 to x: a contradiction!"),
              std::string::npos)
        << g1c->explanation;
    // G1c is the weakest level it rules out: read committed.
    ASSERT_EQ(result.ruled_out.weakest.size(), 1u);
    EXPECT_EQ(result.ruled_out.weakest[0], ConsistencyModel::ReadCommitted);
}

TEST(TxnElleHistories, ElleSiWithoutGSingleIsWriteSkewOnly) {
    // Elle's histories/si-without-g-single.edn: anti-dependency cycles, but
    // none with a single rw edge or with rw edges apart: snapshot isolation
    // holds, repeatable read does not (Elle's own verdict on it).
    const char* edn = R"(
{:index 10, :time 0, :type :invoke, :process 2, :f :txn, :value [[:append 9 2]]}
{:index 11, :time 0, :type :ok, :process 2, :f :txn, :value [[:append 9 2]]}
{:index 20, :time 0, :type :invoke, :process 4, :f :txn, :value [[:append 8 1] [:r 9 nil]]}
{:index 21, :time 0, :type :ok, :process 4, :f :txn, :value [[:append 8 1] [:r 9 nil]]}
{:index 30, :time 0, :type :invoke, :process 7, :f :txn, :value [[:r 6 nil] [:r 8 nil] [:append 9 5]]}
{:index 31, :time 0, :type :ok, :process 7, :f :txn, :value [[:r 6 nil] [:r 8 nil] [:append 9 5]]}
{:index 40, :time 0, :type :invoke, :process 9, :f :txn, :value [[:append 6 2] [:r 9 nil]]}
{:index 41, :time 0, :type :ok, :process 9, :f :txn, :value [[:append 6 2] [:r 9 [2]]]}
)";
    auto result = check_txns(read_history_edn(edn, "si.edn"), TxnModel::ListAppend,
                             ConsistencyModel::SnapshotIsolation);
    EXPECT_EQ(result.found, txn::bit(AnomalyClass::G2Item)) << format_txn_result(result);
    EXPECT_EQ(result.verdict, TxnVerdict::Valid);
    ASSERT_EQ(result.ruled_out.weakest.size(), 1u);
    EXPECT_EQ(result.ruled_out.weakest[0], ConsistencyModel::RepeatableRead);
}

// After Elle's unfindable-g-single test (all concurrent, one process each):
// a ring of 1,000 transactions chained by appends, whose last misses the
// first's append (one G-single), and from each ring member a chain of
// appends ending in two adjacent anti-dependencies back to the ring's start
// (G2-item cycles by the thousand) to drown it.
std::vector<testing::HandTxn> g_single_in_a_sea_of_g2() {
    const int n = 1000, noise = 30;
    std::vector<testing::HandTxn> txns;
    for (int i = 0; i < n; ++i) {
        nlohmann::json second = i == 0       ? J(R"(["append","anti",0])")
                                : i == n - 1 ? J(R"(["r","anti",[]])")
                                             : nlohmann::json::array({"append", i, 0});
        txns.push_back(
            {i, nlohmann::json::array({nlohmann::json::array({"append", "ring", i}), second})});
    }
    nlohmann::json ring = nlohmann::json::array();
    for (int i = 0; i < n; ++i) ring.push_back(i);
    txns.push_back({n, nlohmann::json::array({nlohmann::json::array({"r", "ring", ring})})});
    for (int i = 1; i < n - 1; ++i) {
        auto anti = "anti-" + std::to_string(i);
        for (int j = 1; j < noise; ++j) {
            nlohmann::json value;
            if (j == noise - 2) {
                nlohmann::json order = nlohmann::json::array();
                for (int k = 0; k < noise - 2; ++k) order.push_back(k);
                value = {{"r", i, order}, {"r", anti, nlohmann::json::array()}};
            } else if (j == noise - 1) {
                value = {{"append", anti, 0}, {"r", "ring", nlohmann::json::array()}};
            } else {
                value = nlohmann::json::array({nlohmann::json::array({"append", i, j})});
            }
            txns.push_back({static_cast<int64_t>(txns.size()), value});
        }
    }
    return txns;
}

TEST(TxnElleHistories, GSingleAmidThousandsOfWriteSkewCyclesIsFound) {
    auto result = check_txns(concurrent_txns(g_single_in_a_sea_of_g2()), TxnModel::ListAppend,
                             ConsistencyModel::SnapshotIsolation);
    EXPECT_TRUE(result.found & txn::bit(AnomalyClass::GSingle)) << format_txn_result(result, false);
    EXPECT_EQ(result.verdict, TxnVerdict::Invalid);
    EXPECT_EQ(result.undecided, 0u);
}

TEST(TxnElleHistories, ASearchCutShortIsUndecidedNotValid) {
    txn::TxnCollector collector("test", TxnModel::ListAppend);
    for (auto event : concurrent_txns(g_single_in_a_sea_of_g2())) collector.add(std::move(event));
    txn::TxnCheckOptions options;
    options.consistency = ConsistencyModel::SnapshotIsolation;
    options.limits = {0, 0};  // no search may look at anything
    auto result = txn::check_txn_history(collector.finish(), options);
    EXPECT_FALSE(result.found & txn::bit(AnomalyClass::GSingle));
    EXPECT_TRUE(result.undecided & txn::bit(AnomalyClass::GSingle))
        << format_txn_result(result, false);
    EXPECT_EQ(result.verdict, TxnVerdict::Unknown);
}

}  // namespace
}  // namespace atomixtest
