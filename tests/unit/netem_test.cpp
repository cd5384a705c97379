// netem's model, without a kernel: parameters and their errors, the tree the
// tc driver builds, a node's shaping (its peers' own settings over the
// node's), the statistics of the userspace driver's draws and its bucket.
#include <gtest/gtest.h>

#include <cmath>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"
#include "net/netem/netem_spec.hpp"
#include "net/netem/packet_fate.hpp"
#include "net/netem/shaping.hpp"
#include "net/netem/tc_netem.hpp"
#include "net/netem/token_bucket.hpp"
#include "session/param_check.hpp"
#include "session/workspace.hpp"

namespace atomixtest::net {
namespace {

using namespace std::chrono_literals;

std::string joined(const std::vector<std::string>& argv) {
    std::string text;
    for (const auto& arg : argv) text += (text.empty() ? "" : " ") + arg;
    return text;
}

// A netem verb's params as every caller's go: through the door (the net
// plugin's own declaration, checked and completed), then into a spec.
const VerbSpec& declared(const std::string& verb) {
    static Workspace workspace({testing::plugin_dir()});
    return workspace.verb("net." + verb).spec;
}

NetemSpec spec_for(const std::string& verb, const nlohmann::json& params) {
    const auto& spec = declared(verb);
    throw_if_invalid(spec, check_params(spec, params));
    std::mt19937_64 random;
    ClusterInfo cluster{"c", "local", "etcd", "", {{.id = 1}}};
    return netem_spec_for(verb, complete_params(spec, params, cluster, random).params);
}

std::string error_for(const std::string& verb, const nlohmann::json& params) {
    try {
        spec_for(verb, params);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        return error.what();
    }
    return "";
}

// The defaults are the net plugin's declaration's, which the door fills in.
TEST(NetemSpec, DefaultsAreTheOriginalTools) {
    auto delay = spec_for("delay", nlohmann::json::object());
    EXPECT_EQ(delay.latency, 50ms);
    EXPECT_EQ(delay.jitter, 10ms);
    EXPECT_DOUBLE_EQ(delay.delay_correlation, .75);
    EXPECT_EQ(delay.distribution, "normal");
    EXPECT_DOUBLE_EQ(spec_for("drop", {}).loss.probability, .02);
    EXPECT_DOUBLE_EQ(spec_for("drop", {}).loss.correlation, .25);
    EXPECT_DOUBLE_EQ(spec_for("reorder", {}).reorder.probability, .02);
    EXPECT_EQ(spec_for("reorder", {}).reorder_latency, 10ms);
    EXPECT_EQ(spec_for("reorder", {}).delay_latency(), 10ms) << "reorder's own while no delay";
    EXPECT_DOUBLE_EQ(spec_for("duplicate", {}).duplicate.probability, .005);
    EXPECT_DOUBLE_EQ(spec_for("corrupt", {}).corrupt.probability, .02);
}

TEST(NetemSpec, LatencyInMillisecondsOrWithAUnit) {
    EXPECT_EQ(spec_for("delay", {{"latency", 200}}).latency, 200ms);
    EXPECT_EQ(spec_for("delay", {{"latency", "1s"}}).latency, 1s);
    EXPECT_EQ(spec_for("delay", {{"latency", 0.5}}).latency, 500us);
}

TEST(NetemSpec, BadValuesNameTheFieldAndTheAllowedRange) {
    EXPECT_EQ(error_for("drop", {{"probability", 1.5}}),
              "net.drop: probability: must be at most 1, got 1.5");
    EXPECT_EQ(error_for("drop", {{"correlation", -0.1}}),
              "net.drop: correlation: must be at least 0, got -0.1");
    EXPECT_EQ(error_for("delay", {{"latency", -5}}),
              "net.delay: latency: must be at least 0, got -5");
    EXPECT_EQ(error_for("delay", {{"latency", "-5ms"}}),
              "net.delay: latency: invalid duration \"-5ms\" (expected a duration such as 500ms, "
              "2s, 1m30s; units ns, us, ms, s, m, h)");
    EXPECT_EQ(error_for("delay", {{"distribution", "gaussian"}}),
              "net.delay: distribution: got \"gaussian\", allowed: \"normal\", \"pareto\", "
              "\"paretonormal\", \"uniform\"");
    EXPECT_EQ(error_for("delay", {{"lateny", 5}}),
              "net.delay: lateny: unknown field 'lateny' (allowed: correlation, distribution, "
              "jitter, latency, node, to)");
}

TEST(NetemSpec, SurvivesTheTripToTheDaemon) {
    auto spec = spec_for("delay", {{"latency", 120}, {"distribution", "pareto"}});
    spec.loss = {.1, .2};
    spec.seed = 99;
    auto back = NetemSpec::from_json(spec.to_json());
    EXPECT_EQ(back.latency, spec.latency);
    EXPECT_EQ(back.distribution, "pareto");
    EXPECT_DOUBLE_EQ(back.loss.correlation, .2);
    EXPECT_EQ(back.seed, 99u);
}

TEST(TcNetem, OptionsInNetemsOwnWords) {
    auto delay = spec_for("delay", {{"latency", 200}, {"jitter", 10}});
    EXPECT_EQ(joined(netem_words(delay)), "delay 200000us 10000us 75% distribution normal");
    auto fixed = spec_for("delay", {{"latency", 100}, {"jitter", 0}});
    EXPECT_EQ(joined(netem_words(fixed)), "delay 100000us");
    NetemSpec all;
    all.loss = {.3, .25};
    all.duplicate = {.005, 0};
    all.corrupt = {.02, .5};
    EXPECT_EQ(joined(netem_words(all)), "loss 30% 25% duplicate 0.5% corrupt 2%");
    EXPECT_EQ(joined(netem_words(spec_for("reorder", {}))), "delay 10000us reorder 2% 50%")
        << "reorder brings its delay while none is set";
}

Shaping rate_shaping(KernelDrivers kernel) {
    Shaping shaping;
    shaping.kernel = kernel;
    shaping.all = spec_for("rate", {{"rate", "1mbit"}});
    return shaping;
}

TEST(TcTree, ARateForEveryPeerIsTheDefaultClassWithATbf) {
    auto script = tc_tree_script("eth0", rate_shaping({.netem = false, .rate = true}));
    EXPECT_EQ(script,
              "qdisc add dev eth0 root handle 1: htb default fff\n"
              "class add dev eth0 parent 1: classid 1:fff htb rate 100gbit quantum 60000\n"
              "qdisc add dev eth0 parent 1:fff handle 1fff: tbf rate 1000000bit burst 32768 "
              "latency 100000us\n");
}

TEST(TcTree, APeerWithARateOfItsOwnIsAClassMatchedByItsAddress) {
    auto shaping = rate_shaping({.netem = false, .rate = true});
    shaping.all = {};
    shaping.own(12, "10.77.0.22") = spec_for("rate", {{"rate", "500kbit"}, {"burst", "4k"}});
    auto script = tc_tree_script("eth0", shaping);
    EXPECT_NE(script.find("class add dev eth0 parent 1: classid 1:c htb"), std::string::npos)
        << script;
    EXPECT_NE(script.find("parent 1:c handle 100c: tbf rate 500000bit burst 4096"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find("u32 match ip dst 10.77.0.22/32 flowid 1:c"), std::string::npos)
        << script;
    EXPECT_EQ(script.find("1:fff htb"), std::string::npos) << "no default class: the rest pass";
}

TEST(TcTree, NetemGoesUnderTheTbfWhereTheKernelHasIt) {
    auto shaping = rate_shaping({.netem = true, .rate = true});
    shaping.all = with_setting(shaping.all, "delay", spec_for("delay", {{"latency", 200}}));
    auto script = tc_tree_script("eth0", shaping);
    EXPECT_NE(script.find("qdisc add dev eth0 parent 1fff:1 handle 2fff: netem delay 200000us"),
              std::string::npos)
        << script;
    EXPECT_EQ(tc_tree_script("eth0", rate_shaping({.netem = false, .rate = false})), "")
        << "the kernel carries nothing: no tree";
}

TEST(TcTree, APeerWithOnlyUserspaceSettingsStaysInTheSharedBucket) {
    auto shaping = rate_shaping({.netem = false, .rate = true});
    shaping.own(2, "10.77.0.12") = spec_for("delay", {{"latency", 100}});
    auto script = tc_tree_script("eth0", shaping);
    EXPECT_EQ(script.find("10.77.0.12"), std::string::npos) << script;
    bool every_peer = true;
    EXPECT_EQ(shaping.daemon_addresses(every_peer), std::vector<std::string>{"10.77.0.12"});
    EXPECT_FALSE(every_peer) << "only the peer's packets go through the daemon";
}

TEST(Shaping, APeersOwnSettingWinsAndTheRestIsTheNodes) {
    Shaping shaping;
    shaping.all = with_setting(shaping.all, "delay", spec_for("delay", {{"latency", 50}}));
    shaping.all = with_setting(shaping.all, "drop", spec_for("drop", {}));
    auto& own = shaping.own(3, "10.77.0.13");
    own = with_setting(own, "delay", spec_for("delay", {{"latency", 200}}));
    auto peer = shaping.for_peer(shaping.peers[0]);
    EXPECT_EQ(peer.latency, 200ms);
    EXPECT_DOUBLE_EQ(peer.loss.probability, .02) << "the node's drop still applies";
    auto back = Shaping::from_json(shaping.to_json());
    EXPECT_EQ(back.to_json(), shaping.to_json());
    shaping.peers[0].own = with_setting(shaping.peers[0].own, "delay", NetemSpec{});
    shaping.prune();
    EXPECT_TRUE(shaping.peers.empty()) << "a peer without a setting of its own goes";
}

TEST(Shaping, ReadsADaemonsSpecFromBeforePeers) {
    auto spec = spec_for("drop", {{"probability", .3}});
    auto shaping = Shaping::from_json(spec.to_json());
    EXPECT_DOUBLE_EQ(shaping.all.loss.probability, .3);
    EXPECT_TRUE(shaping.peers.empty());
}

TEST(TokenBucket, LetsTheBurstGoAtOnceThenPacesAtTheRate) {
    using Clock = TokenBucket::Clock;
    auto start = Clock::now();
    // 1 mbit = 125 bytes per millisecond; 10 packets of 1236 + 14 bytes fill
    // the 12,500-byte burst.
    TokenBucket bucket({1'000'000, 12'500, 1s}, start);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(bucket.departure(start, 1236), start) << i;
    auto next = bucket.departure(start, 1236);
    ASSERT_TRUE(next);
    using Milliseconds = std::chrono::duration<double, std::milli>;
    EXPECT_NEAR(Milliseconds(*next - start).count(), 10.0, 0.01);
    auto after = bucket.departure(start, 1236);
    EXPECT_NEAR(Milliseconds(*after - *next).count(), 10.0, 0.01)
        << "one packet's bytes at the rate, then the next";
}

TEST(TokenBucket, DropsWhatWouldWaitLongerThanItsLatency) {
    using Clock = TokenBucket::Clock;
    auto start = Clock::now();
    TokenBucket bucket({1'000'000, 2'000, 50ms}, start);
    int sent = 0, dropped = 0;
    for (int i = 0; i < 20; ++i) (bucket.departure(start, 986) ? sent : dropped)++;
    EXPECT_EQ(sent, 2 + 6) << "the burst, then 50 ms at 125 bytes a millisecond";
    EXPECT_EQ(dropped, 12);
}

TEST(FateDrawer, DropRateMatchesTheProbability) {
    for (double probability : {.02, .1, .3}) {
        NetemSpec spec;
        spec.loss = {probability, 0};
        spec.seed = 7;
        FateDrawer drawer(spec);
        int dropped = 0;
        for (int i = 0; i < 100000; ++i) dropped += drawer.next().drop;
        EXPECT_NEAR(dropped / 100000.0, probability, 0.005) << probability;
    }
}

TEST(FateDrawer, CorrelationMakesLossesComeInRuns) {
    auto runs = [](double correlation) {
        NetemSpec spec;
        spec.loss = {.25, correlation};
        spec.seed = 3;
        FateDrawer drawer(spec);
        int changes = 0;
        bool last = false;
        for (int i = 0; i < 100000; ++i) {
            bool drop = drawer.next().drop;
            changes += drop != last;
            last = drop;
        }
        return changes;
    };
    EXPECT_LT(runs(.9), runs(0) / 2) << "correlated losses switch less often";
}

TEST(FateDrawer, DelayMeanAndSpreadFollowLatencyAndJitter) {
    for (const char* distribution : {"normal", "uniform"}) {
        auto spec = spec_for(
            "delay",
            {{"latency", 200}, {"jitter", 20}, {"correlation", 0}, {"distribution", distribution}});
        spec.seed = 11;
        FateDrawer drawer(spec);
        double sum = 0, squares = 0;
        const int n = 50000;
        for (int i = 0; i < n; ++i) {
            double ms = static_cast<double>(drawer.next().delay.count()) / 1e6;
            sum += ms;
            squares += ms * ms;
        }
        double mean = sum / n;
        double spread = std::sqrt(squares / n - mean * mean);
        EXPECT_NEAR(mean, 200, 2) << distribution;
        // uniform over ±jitter has a standard deviation of jitter/sqrt(3)
        double expected = std::string(distribution) == "normal" ? 20 : 20 / std::sqrt(3.0);
        EXPECT_NEAR(spread, expected, expected * 0.05) << distribution;
    }
}

TEST(FateDrawer, SameSeedSameFates) {
    NetemSpec spec = spec_for("drop", {{"probability", .5}});
    spec.seed = 1234;
    FateDrawer a(spec), b(spec);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next().drop, b.next().drop);
}

}  // namespace
}  // namespace atomixtest::net
