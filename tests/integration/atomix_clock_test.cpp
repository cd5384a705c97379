// The clock faults on real Atomix agents (the JVM, which reads the wall
// clock through glibc and the vDSO): the agent reports
// System.currentTimeMillis() at /v1/time, the witness of what the node's own
// process reads. The other nodes, this machine, and the cluster's service go
// on as before; a reset puts the JVM's clock back. On both backends.
#include <gtest/gtest.h>

#include "atomixtest/http.hpp"
#include "cli_harness.hpp"
#include "vdso_witness.hpp"

namespace atomixtest::testing {
namespace {

using namespace std::chrono_literals;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// How far the agent's clock is from this machine's, in ms (the reply's
// round trip is a few ms).
int64_t agent_skew(const std::string& cluster, int node) {
    auto before = now_ms();
    auto reply = http_request(
        {.url = "http://127.0.0.1:" + std::to_string(local_port(cluster, node)) + "/v1/time",
         .timeout = std::chrono::seconds(10)});
    auto after = now_ms();
    EXPECT_EQ(reply.status, 200) << reply.body;
    auto millis = nlohmann::json::parse(reply.body).at("millis").get<int64_t>();
    return millis - (before + after) / 2;
}

void expect_map_serves(const std::string& cluster, int node, const std::string& value) {
    auto url =
        "http://127.0.0.1:" + std::to_string(local_port(cluster, node)) + "/v1/atomic-map/clock/k";
    auto put = http_request({.method = "PUT",
                             .url = url,
                             .body = value,
                             .content_type = "text/plain",
                             .timeout = std::chrono::seconds(15)});
    EXPECT_EQ(put.status, 200) << put.body;
    auto get = http_request({.url = url, .timeout = std::chrono::seconds(15)});
    EXPECT_EQ(nlohmann::json::parse(get.body).value("value", ""), value) << get.body;
}

class AtomixClock : public ::testing::Test {
  protected:
    void TearDown() override {
        cli({"cluster", name_, "teardown"});
        EXPECT_TRUE(processes_with_patched_vdso().empty());
    }
    ProcessResult clock(std::vector<std::string> args) {
        args.insert(args.begin(), {"cluster", name_});
        return cli(args);
    }
    // Bump node 1 forward two hours, see it from its JVM and nowhere else,
    // run node 2 at half speed, reset both.
    void bump_rate_and_reset() {
        for (int node : {1, 2, 3})
            EXPECT_NEAR(static_cast<double>(agent_skew(name_, node)), 0, 500);
        auto bump = clock({"clock.bump", "1", "--offset", "2h"});
        ASSERT_EQ(bump.exit_code, 0) << bump.out << bump.err;
        EXPECT_NE(bump.out.find("in force (verified: node 1: java (pid "), std::string::npos)
            << bump.out;
        EXPECT_NE(bump.out.find("reads the time +7200."), std::string::npos) << bump.out;
        EXPECT_NEAR(static_cast<double>(agent_skew(name_, 1)), 7200 * 1000, 500)
            << "System.currentTimeMillis() on node 1 is two hours ahead";
        EXPECT_NEAR(static_cast<double>(agent_skew(name_, 2)), 0, 500);
        EXPECT_NEAR(static_cast<double>(agent_skew(name_, 3)), 0, 500);
        expect_map_serves(name_, 1, "while-skewed");

        auto rate = clock({"clock.rate", "2", "--rate", "0.5"});
        ASSERT_EQ(rate.exit_code, 0) << rate.out << rate.err;
        auto said = rate.out.find(", runs at ");
        ASSERT_NE(said, std::string::npos) << rate.out;
        EXPECT_NEAR(std::stod(rate.out.substr(said + 10)), 0.5, 0.05) << rate.out;
        auto first = agent_skew(name_, 2);
        std::this_thread::sleep_for(2s);
        EXPECT_NEAR(static_cast<double>(agent_skew(name_, 2) - first), -1000, 300)
            << "half speed: node 2 loses a second in two";

        auto reset = clock({"clock.reset"});
        ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
        EXPECT_TRUE(processes_with_patched_vdso().empty());
        for (int node : {1, 2, 3})
            EXPECT_NEAR(static_cast<double>(agent_skew(name_, node)), 0, 500);
        expect_map_serves(name_, 2, "after-reset");
    }
    const std::string name_ = unique_cluster("it-atomix-clock");
};

TEST_F(AtomixClock, TheJvmReadsTheBumpAndTheRateTheOthersDoNotAndResetPutsThemBack) {
    auto setup = cli({"cluster", name_, "setup", "-c", "consensus", "-n", "3"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    bump_rate_and_reset();
}

TEST_F(AtomixClock, OnDockerTheJvmInTheContainerReadsItToo) {
    auto setup =
        cli({"cluster", name_, "setup", "-c", "consensus", "-n", "3", "--backend", "docker"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    bump_rate_and_reset();
}

}  // namespace
}  // namespace atomixtest::testing
