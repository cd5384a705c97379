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
