#include "engine/junit_report.hpp"

#include "util/markup.hpp"

#include <algorithm>
#include <cstdio>

namespace atomixtest {

namespace {

std::string seconds(std::chrono::duration<double> elapsed) {
    char text[32];
    snprintf(text, sizeof text, "%.3f", elapsed.count());
    return text;
}

std::string failure_element(const char* element, const std::string& message) {
    return "    <" + std::string(element) + " message=\"" +
           xml_escape(message.substr(0, message.find('\n'))) + "\" type=\"" + element + "\">" +
           xml_escape(message) + "</" + element + ">\n";
}

}  // namespace

// One testcase per scenario (its steps and set-up) and one per assertion, so
// that a CI server lists which assertion failed; an assertion the steps never
// reached is skipped.
std::string junit_xml(const std::vector<ScenarioResult>& results) {
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    double total = 0;
    std::string cases;
    for (const auto& result : results) {
        total += result.elapsed.count();
        ++tests;
        bool steps_failed =
            !result.passed && std::none_of(result.assertions.begin(), result.assertions.end(),
                                           [](const AssertionResult& judged) {
                                               return judged.ran && !judged.passed;
                                           });
        cases += "  <testcase classname=\"" + xml_escape(result.file) + "\" name=\"" +
                 xml_escape(result.name) + "\" time=\"" + seconds(result.elapsed) + "\"";
        if (!steps_failed) {
            cases += "/>\n";
        } else {
            bool assertion = result.failure_kind == ErrorKind::AssertionFailed;
            (assertion ? failures : errors)++;
            cases += ">\n" + failure_element(assertion ? "failure" : "error", result.message) +
                     "  </testcase>\n";
        }
        for (size_t i = 0; i < result.assertions.size(); ++i) {
            const auto& judged = result.assertions[i];
            ++tests;
            cases += "  <testcase classname=\"" + xml_escape(result.file + "." + result.name) +
                     "\" name=\"" +
                     xml_escape("assert " + std::to_string(i + 1) + ": " + judged.verb + " (" +
                                judged.where + ")") +
                     "\" time=\"" + seconds(judged.elapsed) + "\"";
            if (judged.ran && judged.passed) {
                cases += "/>\n";
            } else if (!judged.ran) {
                ++skipped;
                cases +=
                    ">\n    <skipped message=\"the scenario's steps failed first\"/>\n  "
                    "</testcase>\n";
            } else {
                ++failures;
                cases += ">\n" + failure_element("failure", judged.message) + "  </testcase>\n";
            }
        }
    }
    char header[256];
    snprintf(header, sizeof header,
             "<testsuite name=\"atomix-test\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
             "skipped=\"%d\" time=\"%.3f\">\n",
             tests, failures, errors, skipped, total);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n" + std::string(header) +
           cases + "</testsuite>\n</testsuites>\n";
}

}  // namespace atomixtest
