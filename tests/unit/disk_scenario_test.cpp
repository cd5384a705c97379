// The disk faults in scenarios, as the loader reads them before any cluster
// exists: bad errnos, probabilities and node states are refused with the
// file:line:column to fix; a scenario that needs lazy disks is known to.
#include <gtest/gtest.h>

#include "scenario_fixture.hpp"

namespace atomixtest {
namespace {

class DiskScenario : public testing::ScenarioFixture {};

const std::string kDiskHead = "name: t\ncluster: {profile: etcd}\nsteps:\n";

TEST_F(DiskScenario, AnUnknownErrnoNamesTheAllowedOnes) {
    auto message = error_for(kDiskHead + "  - disk.error: {node: 1, errno: EWHAT}\n");
    EXPECT_EQ(message.rfind("s.yaml:4:34: steps/0/disk.error/errno: ", 0), 0u) << message;
    EXPECT_NE(message.find("EWHAT"), std::string::npos) << message;
    EXPECT_NE(message.find("EIO"), std::string::npos) << message;
    EXPECT_NE(message.find("ENOSPC"), std::string::npos) << message;
}

TEST_F(DiskScenario, AProbabilityAboveOneIsRefused) {
    auto message = error_for(kDiskHead + "  - disk.delay: {probability: 2}\n");
    EXPECT_EQ(message.rfind("s.yaml:4:31: steps/0/disk.delay/probability: ", 0), 0u) << message;
    EXPECT_NE(message.find('1'), std::string::npos) << message;
}

TEST_F(DiskScenario, AnUnknownCallIsRefused) {
    auto message = error_for(kDiskHead + "  - disk.error: {ops: [write, fsnyc]}\n");
    EXPECT_EQ(message.rfind("s.yaml:4:", 0), 0u) << message;
    EXPECT_NE(message.find("steps/0/disk.error/ops"), std::string::npos) << message;
}

TEST_F(DiskScenario, CorruptOnARunningNodeIsRefusedWhereItIsWritten) {
    EXPECT_EQ(error_for(kDiskHead + "  - disk.corrupt: {node: 2}\n"),
              "s.yaml:4:26: steps/0/disk.corrupt/node: disk.corrupt needs node 2 stopped or "
              "killed, and it is running at this step (put the step in the during: of "
              "node.kill or node.stop of node 2, or after one)");
    // Killed, then recovered: running again.
    auto message = error_for(kDiskHead +
                             "  - node.kill: {node: 2}\n"
                             "  - node.recover: {node: 2}\n"
                             "  - disk.corrupt: {node: 2}\n");
    EXPECT_EQ(message.rfind("s.yaml:6:26: steps/2/disk.corrupt/node: ", 0), 0u) << message;
    // Another node was killed, not this one.
    message = error_for(kDiskHead +
                        "  - node.kill: {node: 1}\n"
                        "    during:\n"
                        "      - disk.corrupt: {node: 2}\n");
    EXPECT_NE(message.find("needs node 2 stopped or killed"), std::string::npos) << message;
    // The kill's block over, its undo brought the node back.
    message = error_for(kDiskHead +
                        "  - node.stop: {node: 2}\n"
                        "    during:\n"
                        "      - sleep: {duration: 1s}\n"
                        "  - disk.corrupt: {node: 2}\n");
    EXPECT_NE(message.find("steps/1/disk.corrupt/node"), std::string::npos) << message;
}

TEST_F(DiskScenario, CorruptOnANodeKilledOrStoppedBeforeIsAccepted) {
    EXPECT_NO_THROW(parse(kDiskHead +
                          "  - node.kill: {node: 2, lose_unfsynced: true}\n"
                          "    during:\n"
                          "      - disk.corrupt: {node: 2, mode: truncate, bytes: 10}\n"));
    EXPECT_NO_THROW(parse(kDiskHead + "  - node.stop: {node: [1, 2]}\n"
                                      "  - disk.corrupt: {node: 2, path: 'member/wal/*'}\n"
                                      "  - node.start: {node: [1, 2]}\n"));
}

TEST_F(DiskScenario, ScenariosThatNeedLazyDisksAreKnown) {
    EXPECT_FALSE(wants_lazy_disk(parse(kDiskHead + "  - node.kill: {node: 1}\n")));
    EXPECT_TRUE(
        wants_lazy_disk(parse(kDiskHead + "  - node.kill: {node: 1, lose_unfsynced: true}\n")));
    EXPECT_TRUE(wants_lazy_disk(parse(kDiskHead + "  - disk.delay: {node: 1}\n"
                                                  "    during:\n"
                                                  "      - sleep: {duration: 1s}\n")));
    EXPECT_TRUE(
        wants_lazy_disk(parse("name: t\ncluster: {profile: etcd}\nentropy:\n  functions:\n"
                              "    - crash: {majority: [1s, 2s], lose-unfsynced: true}\n"
                              "assert:\n  - linearizable: {model: kv}\n")));
}

TEST_F(DiskScenario, CrashTakesMajorityAndLoseUnfsynced) {
    auto scenario = parse(
        "name: t\ncluster: {profile: etcd}\nentropy:\n  functions:\n"
        "    - crash: {every: [5s, 9s], majority: [1s, 2s], lose-unfsynced: true}\n"
        "assert:\n  - linearizable: {model: kv}\n");
    ASSERT_TRUE(scenario.entropy);
    ASSERT_EQ(scenario.entropy->functions.size(), 1u);
    const auto& crash = scenario.entropy->functions[0];
    EXPECT_TRUE(crash.majority);
    EXPECT_TRUE(crash.lose_unfsynced);
    EXPECT_EQ(crash.describe(), "crash 5s 9s --majority 1s 2s --lose-unfsynced");
}

}  // namespace
}  // namespace atomixtest
