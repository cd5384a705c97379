// A GoogleTest fixture with a cluster of its own per test: set up before the
// test, named after it, torn down after it whether it passed or not.
//
//   class MapTest : public atomixtest::ClusterTest {
//       Options cluster_options() const override { return {.profile = "etcd"}; }
//   };
//   TEST_F(MapTest, PutThenGet) {
//       cluster().node(1).map("m").put("k", "v");
//       EXPECT_EQ(cluster().node(2).map("m").get("k"), "v");
//   }
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "atomixtest/testing.hpp"

namespace atomixtest {

class ClusterTest : public ::testing::Test {
  public:
    struct Options {
        std::string profile = "consensus";  // the original tool's default
        ClusterOptions cluster;             // its name, if empty: the test's
    };

  protected:
    virtual Options cluster_options() const { return {}; }

    Cluster& cluster() { return *cluster_; }

    void SetUp() override {
        auto options = cluster_options();
        if (options.cluster.name.empty()) {
            const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
            options.cluster.name =
                cluster_name_for_test(test->test_suite_name(), test->name(), process_suffix());
        }
        cluster_.emplace(create_cluster(options.profile, options.cluster));
    }

    // Runs after a failed assertion too (GoogleTest calls it whenever SetUp
    // returned), so the cluster never outlives its test unless kept.
    void TearDown() override { cluster_.reset(); }

  private:
    std::optional<Cluster> cluster_;
};

}  // namespace atomixtest
