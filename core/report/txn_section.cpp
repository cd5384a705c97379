#include "report/txn_section.hpp"

#include "util/markup.hpp"

namespace atomixtest {

std::string txn_anomalies_section(const ReportInput& input, std::set<uint32_t>& lines) {
    if (!input.check.is_object() || !input.check.contains("anomalies")) return "";
    const auto& anomalies = input.check["anomalies"];
    if (!anomalies.is_array() || anomalies.empty()) return "";
    std::string html = "<h2>Anomalies</h2><p>Transactions checked for " +
                       xml_escape(input.check.value("consistency", std::string("?"))) +
                       "; the transactions of each anomaly are marked in red on the timeline. "
                       "<a href=\"anomalies/report.html\">Each cycle drawn</a>.</p>";
    for (const auto& anomaly : anomalies) {
        for (const auto& txn : anomaly.value("transactions", nlohmann::json::array())) {
            lines.insert(txn.value("invoke_line", 0u));
        }
        html += "<h3>" + xml_escape(anomaly.value("type", std::string("?"))) + "</h3><pre>" +
                xml_escape(anomaly.value("explanation", std::string())) + "</pre>";
    }
    return html;
}

}  // namespace atomixtest
