// The net plugin's new params as a scenario writes them, refused at load time
// with the file:line:column of the value, before any cluster exists: groups
// naming a node the cluster will not have, a rate of 0, a burst smaller than
// a packet; and the entropy block's ring, leader and rate.
#include <gtest/gtest.h>

#include "scenario_fixture.hpp"

namespace atomixtest {
namespace {

class NetScenario : public testing::ScenarioFixture {};

const std::string kNetHead = "name: t\ncluster: {profile: etcd, nodes: 3}\nsteps:\n";

TEST_F(NetScenario, GroupsNamingANodeTheClusterLacksAreRefusedWhereTheyAre) {
    EXPECT_EQ(error_for(kNetHead + "  - net.partition: {groups: [[1, 2], [2, 7]]}\n"),
              "s.yaml:4:29: steps/0/net.partition/groups: the cluster has no node 7 (its "
              "nodes: 1, 2, 3)");
}

TEST_F(NetScenario, GroupsAndAPairAreOneOrTheOther) {
    auto message = error_for(kNetHead + "  - net.partition: {local: 1, groups: [[1, 2]]}\n");
    EXPECT_NE(message.find("s.yaml:4:20: steps/0/net.partition: either local (and remote) or "
                           "groups"),
              std::string::npos)
        << message;
    EXPECT_NE(error_for(kNetHead + "  - net.partition: {groups: [[]]}\n").find("groups/0"),
              std::string::npos);
}

TEST_F(NetScenario, ARateOfZeroIsRefused) {
    EXPECT_EQ(error_for(kNetHead + "  - net.rate: {node: 1, rate: 0}\n"),
              "s.yaml:4:31: steps/0/net.rate/rate: must be at least 1, got 0");
    auto message = error_for(kNetHead + "  - net.rate: {node: 1, rate: 0mbit}\n");
    EXPECT_NE(message.find("s.yaml:4:31: steps/0/net.rate/rate: invalid rate for rate: '0mbit' "
                           "is not above 0"),
              std::string::npos)
        << message;
    message = error_for(kNetHead + "  - net.rate: {node: 1, rate: fast}\n");
    EXPECT_NE(message.find("steps/0/net.rate/rate"), std::string::npos) << message;
}

TEST_F(NetScenario, ABurstSmallerThanAPacketIsRefused) {
    EXPECT_EQ(error_for(kNetHead + "  - net.rate: {rate: 1mbit, burst: 1k}\n"),
              "s.yaml:4:36: steps/0/net.rate/burst: at least 2048 bytes, got \"1k\"");
}

TEST_F(NetScenario, ToNamesPeersTheClusterHas) {
    EXPECT_EQ(error_for(kNetHead + "  - net.delay: {node: 1, to: [2, 5]}\n"),
              "s.yaml:4:30: steps/0/net.delay/to: the cluster has no node 5 (its nodes: 1, 2, 3)");
}

TEST_F(NetScenario, TheNewShapesLoad) {
    auto scenario = parse(kNetHead +
                          "  - net.partition: {groups: [[1, 2], [2, 3]], uni: true}\n"
                          "  - net.ring: {order: [3, 1, 2]}\n"
                          "  - net.rate: {node: 1, rate: 1mbit, burst: 32kb, to: [2]}\n"
                          "    during:\n"
                          "      - net.delay: {node: 2, to: 3, latency: 100ms}\n");
    EXPECT_EQ(scenario.steps.size(), 3u);
}

TEST_F(NetScenario, EntropyTakesRingLeaderAndRate) {
    auto scenario = parse(kNetHead +
                          "  - sleep: {duration: 1s}\nentropy:\n  functions:\n"
                          "    - partition: {every: 1s, ring: [2s, 3s], leader: true}\n"
                          "    - stress: {network: true, rate: 1mbit, period: 2s}\n");
    ASSERT_TRUE(scenario.entropy.has_value());
    EXPECT_EQ(scenario.entropy->functions.size(), 3u);
    auto message = error_for(kNetHead +
                             "  - sleep: {duration: 1s}\nentropy:\n  functions:\n"
                             "    - stress: {network: true, rate: 0kbit}\n");
    EXPECT_NE(message.find("'0kbit' is not a rate"), std::string::npos) << message;
}

}  // namespace
}  // namespace atomixtest
