// The results report's section for a transactional check (check.json with
// "anomalies", as an entropy run with --workload list-append writes): each
// anomaly explained, its transactions marked on the timeline, and a link to
// anomalies/report.html with the cycles drawn.
#pragma once

#include <set>
#include <string>

#include "report/report_input.hpp"

namespace atomixtest {

// Empty when the check is not transactional or found nothing; adds the
// history lines of the anomalies' transactions to `lines`.
std::string txn_anomalies_section(const ReportInput& input, std::set<uint32_t>& lines);

}  // namespace atomixtest
