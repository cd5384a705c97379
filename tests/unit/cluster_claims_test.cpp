// Claims decide what gc may remove: a claim of a live process or of the user
// is kept, one whose process is gone (or whose pid was reused) is abandoned.
#include "session/cluster_claims.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "atomixtest/error.hpp"

namespace atomixtest {
namespace {

class ClusterClaims : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* previous = std::getenv("ATOMIX_TEST_STATE_DIR");
        previous_ = previous ? previous : "";
        dir_ = std::filesystem::temp_directory_path() / ("claims-test-" + std::to_string(getpid()));
        setenv("ATOMIX_TEST_STATE_DIR", dir_.c_str(), 1);
    }
    void TearDown() override {
        std::filesystem::remove_all(dir_);
        if (previous_.empty()) {
            unsetenv("ATOMIX_TEST_STATE_DIR");
        } else {
            setenv("ATOMIX_TEST_STATE_DIR", previous_.c_str(), 1);
        }
    }
    std::filesystem::path dir_;
    std::string previous_;
};

TEST_F(ClusterClaims, ThisProcessHoldsItsClaimAndASecondClaimIsRefused) {
    claim_cluster("local", "c1");
    auto claim = read_claim("local", "c1");
    ASSERT_TRUE(claim);
    EXPECT_FALSE(claim->user);
    EXPECT_EQ(claim->owner.pid, getpid());
    EXPECT_FALSE(abandoned_because(*claim));
    try {
        claim_cluster("local", "c1");
        FAIL() << "a second claim on one cluster was taken";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_NE(std::string(error.what()).find("already exists"), std::string::npos);
    }
    drop_claim("local", "c1");
    EXPECT_FALSE(read_claim("local", "c1"));
}

TEST_F(ClusterClaims, AClaimOfAnExitedProcessIsAbandonedAndTheUsersIsNot) {
    pid_t child = fork();
    if (child == 0) {
        claim_cluster("local", "orphan");
        _exit(0);
    }
    waitpid(child, nullptr, 0);
    auto orphan = read_claim("local", "orphan");
    ASSERT_TRUE(orphan);
    EXPECT_EQ(orphan->owner.pid, child);
    auto reason = abandoned_because(*orphan);
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find(std::to_string(child)), std::string::npos) << *reason;
    // A claim refused because the old one is abandoned says how to clear it.
    try {
        claim_cluster("local", "orphan");
        FAIL() << "claimed over an abandoned claim";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("atomix-test gc"), std::string::npos);
    }

    hand_cluster_to_user("local", "orphan");
    EXPECT_FALSE(abandoned_because(*read_claim("local", "orphan")));
    EXPECT_EQ(all_claims().size(), 1U);
}

TEST_F(ClusterClaims, AReusedPidIsNotTakenForTheOwner) {
    auto self = ProcessIdentity::of_this_process();
    EXPECT_TRUE(self.alive());
    auto impostor = self;
    impostor.start_time += 1;  // same pid, another process's start
    EXPECT_FALSE(impostor.alive());
    EXPECT_FALSE(ProcessIdentity{}.alive());
}

}  // namespace
}  // namespace atomixtest
