// The node selectors every `node` param takes: sizes of minority and
// majority, the leader and its followers from the oracle, choices replayed by
// the seed, and the refusals a user sees.
#include "session/node_selection.hpp"

#include <gtest/gtest.h>

#include <set>

#include "atomixtest/error.hpp"

namespace atomixtest {
namespace {

ClusterInfo cluster_of(int size) {
    ClusterInfo cluster;
    cluster.name = "sel";
    for (int id = 1; id <= size; ++id) {
        cluster.nodes.push_back(
            {.id = id, .name = "sel-" + std::to_string(id), .status = NodeStatus::Running});
    }
    return cluster;
}

const Param kNodes = param("node", ParamType::Nodes, "nodes");
const Param kNode = param("node", ParamType::Node, "a node");

NodeChoice choose(const nlohmann::json& value, int size, uint64_t seed = 1,
                  const LeaderOracle& leader = {}) {
    std::mt19937_64 random(seed);
    return resolve_nodes(kNodes, &value, cluster_of(size), random, leader);
}

TEST(NodeSelection, MinorityIsFewerThanHalfAndMajorityMoreThanHalf) {
    for (int size : {3, 4, 5, 7}) {
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            auto minority = choose("minority", size, seed);
            auto majority = choose("majority", size, seed);
            EXPECT_LT(minority.ids.size() * 2, static_cast<size_t>(size)) << size;
            EXPECT_GE(minority.ids.size(), 1u) << size;
            EXPECT_GT(majority.ids.size() * 2, static_cast<size_t>(size)) << size;
            EXPECT_EQ(majority.ids.size(), static_cast<size_t>(size / 2 + 1)) << size;
            EXPECT_TRUE(minority.drawn && majority.drawn);
            EXPECT_EQ(std::set<int>(majority.ids.begin(), majority.ids.end()).size(),
                      majority.ids.size())
                << "no node twice";
        }
    }
}

TEST(NodeSelection, TheSeedReplaysTheDrawAndOtherSeedsVaryIt) {
    EXPECT_EQ(choose("majority", 5, 42).ids, choose("majority", 5, 42).ids);
    std::set<std::vector<int>> seen;
    for (uint64_t seed = 1; seed <= 30; ++seed) seen.insert(choose("majority", 5, seed).ids);
    EXPECT_GT(seen.size(), 3u) << "30 seeds drew the same few subsets";
}

TEST(NodeSelection, LeaderAndFollowersComeFromTheOracle) {
    auto oracle = [] { return 2; };
    EXPECT_EQ(choose("leader", 3, 1, oracle).ids, std::vector<int>{2});
    EXPECT_EQ(choose("followers", 3, 1, oracle).ids, (std::vector<int>{1, 3}));
    EXPECT_FALSE(choose("leader", 3, 1, oracle).drawn) << "nothing random: no seed to print";
    std::mt19937_64 random(1);
    nlohmann::json leader = "leader";
    EXPECT_EQ(resolve_nodes(kNode, &leader, cluster_of(3), random, oracle).ids,
              std::vector<int>{2});
}

TEST(NodeSelection, LeaderWithoutAWayToAskIsRefusedWithTheReason) {
    try {
        choose("followers", 3);
        FAIL() << "followers without an oracle";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_NE(std::string(error.what()).find("`leader:` in the profile"), std::string::npos)
            << error.what();
    }
    // An oracle naming a node the cluster lacks is the system's answer, not
    // a node to fault.
    EXPECT_THROW(choose("leader", 3, 1, [] { return 9; }), Error);
}

TEST(NodeSelection, ListsAreSortedWithoutRepeatsAndUnknownIdsRefused) {
    EXPECT_EQ(choose(nlohmann::json::array({3, 1, 3}), 3).ids, (std::vector<int>{1, 3}));
    EXPECT_FALSE(choose(nlohmann::json::array({3, 1}), 3).drawn);
    EXPECT_THROW(choose(nlohmann::json::array({1, 4}), 3), Error);
    EXPECT_EQ(choose("all", 4).ids, (std::vector<int>{1, 2, 3, 4}));
}

TEST(NodeSelection, UnknownSelectorsNameTheAllowedWords) {
    std::vector<int> known = {1, 2, 3};
    auto issue = node_value_issue(kNodes, "leaders", &known);
    EXPECT_NE(issue.find("unknown node selector \"leaders\""), std::string::npos) << issue;
    EXPECT_NE(issue.find("minority, majority, leader, followers"), std::string::npos) << issue;
    // A single node cannot be a set of them.
    EXPECT_NE(node_value_issue(kNode, "majority", &known), "");
    EXPECT_EQ(node_value_issue(kNode, "leader", &known), "");
    EXPECT_NE(node_value_issue(kNodes, nlohmann::json::array({1, 7}), &known).find("no node 7"),
              std::string::npos);
}

TEST(NodeSelection, AMinorityOfTwoNodesIsNoNode) {
    EXPECT_THROW(choose("minority", 2), Error);
}

}  // namespace
}  // namespace atomixtest
