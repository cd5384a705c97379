// The JUnit XML that `run --junit` writes for CI servers.
#include "engine/junit_report.hpp"

#include <gtest/gtest.h>

namespace atomixtest {
namespace {

TEST(JunitReport, OneTestcasePerScenarioWithFailuresCounted) {
    std::vector<ScenarioResult> results = {
        {.name = "passes", .file = "a.yaml", .passed = true, .elapsed = std::chrono::seconds(2)},
        {.name = "fails",
         .file = "b.yaml",
         .passed = false,
         .failure_kind = ErrorKind::AssertionFailed,
         .message = "b.yaml:7:5: step 'map.get': expected \"x\", got \"y\" <&>",
         .elapsed = std::chrono::milliseconds(1500)},
    };
    auto xml = junit_xml(results);
    EXPECT_NE(xml.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), std::string::npos);
    EXPECT_NE(xml.find("tests=\"2\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("failures=\"1\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("name=\"passes\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("name=\"fails\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("&quot;x&quot;, got &quot;y&quot; &lt;&amp;&gt;"), std::string::npos) << xml;
    EXPECT_EQ(xml.find("<&>"), std::string::npos) << "raw markup must not reach the XML";
    // Exactly one <failure>, inside the failing case.
    auto failure = xml.find("<failure");
    ASSERT_NE(failure, std::string::npos);
    EXPECT_EQ(xml.find("<failure", failure + 1), std::string::npos);
    EXPECT_GT(failure, xml.find("name=\"fails\""));
}

TEST(JunitReport, ErrorsThatAreNotAssertionsAreReportedAsErrors) {
    std::vector<ScenarioResult> results = {{.name = "broken",
                                            .file = "c.yaml",
                                            .passed = false,
                                            .failure_kind = ErrorKind::Environment,
                                            .message = "no permission"}};
    auto xml = junit_xml(results);
    EXPECT_NE(xml.find("<error"), std::string::npos) << xml;
    EXPECT_NE(xml.find("errors=\"1\""), std::string::npos) << xml;
    EXPECT_EQ(xml.find("<failure"), std::string::npos) << xml;
}

}  // namespace
}  // namespace atomixtest

namespace atomixtest {
namespace {

// The shape CI servers (Jenkins, GitLab, GitHub's JUnit actions) read: one
// <testsuite> whose counts match its testcases; a testcase holds at most one
// of <failure>, <error>, <skipped>.
TEST(JunitReport, EachAssertionIsATestcaseOfItsOwnWithConsistentCounts) {
    ScenarioResult judged{.name = "judged", .file = "d.yaml", .passed = false};
    judged.message = "d.yaml:9:5: step 'linearizable': not linearizable";
    judged.assertions = {{"linearizable", "d.yaml:9:5", true, false, judged.message},
                         {"map.get", "d.yaml:10:5", true, true, ""}};
    ScenarioResult broken{.name = "broken", .file = "e.yaml", .passed = false};
    broken.message = "e.yaml:4:5: step 'map.put': the operation failed";
    broken.assertions = {{"map.get", "e.yaml:8:5", false, false, ""}};
    auto xml = junit_xml({judged, broken});
    EXPECT_NE(xml.find("tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"1\""), std::string::npos)
        << xml;
    EXPECT_NE(xml.find("name=\"assert 1: linearizable (d.yaml:9:5)\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("name=\"assert 2: map.get (d.yaml:10:5)\" time=\"0.000\"/>"),
              std::string::npos)
        << "a passing assertion is an empty testcase";
    // The scenario whose assertion failed passed its own steps: its testcase is clean.
    EXPECT_NE(xml.find("name=\"judged\" time=\"0.000\"/>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<skipped message=\"the scenario's steps failed first\"/>"),
              std::string::npos);
    size_t open = 0, close = 0;
    for (auto at = xml.find("<testcase"); at != std::string::npos;
         at = xml.find("<testcase", at + 1))
        ++open;
    for (auto at = xml.find("</testcase>"); at != std::string::npos;
         at = xml.find("</testcase>", at + 1))
        ++close;
    EXPECT_EQ(open, 5u);
    EXPECT_EQ(close, 3u) << "two empty testcases, three with a child";
}

}  // namespace
}  // namespace atomixtest
