#include "engine/junit_report.hpp"

#include <cstdio>

namespace atomixtest {

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // XML 1.0 forbids most control characters even when escaped.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                    out += '?';
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string junit_xml(const std::vector<ScenarioResult>& results) {
    int failures = 0, errors = 0;
    double total = 0;
    for (const auto& result : results) {
        if (!result.passed) {
            (result.failure_kind == ErrorKind::AssertionFailed ? failures : errors)++;
        }
        total += result.elapsed.count();
    }
    char header[256];
    snprintf(header, sizeof header,
             "<testsuite name=\"atomix-test\" tests=\"%zu\" failures=\"%d\" errors=\"%d\" "
             "time=\"%.3f\">\n",
             results.size(), failures, errors, total);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
    xml += header;
    for (const auto& result : results) {
        char time[32];
        snprintf(time, sizeof time, "%.3f", result.elapsed.count());
        xml += "  <testcase classname=\"" + xml_escape(result.file) + "\" name=\"" +
               xml_escape(result.name) + "\" time=\"" + time + "\"";
        if (result.passed) {
            xml += "/>\n";
            continue;
        }
        const char* element =
            result.failure_kind == ErrorKind::AssertionFailed ? "failure" : "error";
        xml += ">\n    <" + std::string(element) + " message=\"" +
               xml_escape(result.message.substr(0, result.message.find('\n'))) + "\">" +
               xml_escape(result.message) + "</" + element + ">\n  </testcase>\n";
    }
    return xml + "</testsuite>\n</testsuites>\n";
}

}  // namespace atomixtest
