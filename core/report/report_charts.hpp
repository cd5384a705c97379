// The report's drawings, each an inline SVG: the timeline of operations (one
// lane per client process, fault windows shaded, the failing window marked)
// and latency and throughput over time. Large histories are aggregated per
// pixel column, so a page stays small whatever the history's length.
#pragma once

#include <set>
#include <string>

#include "report/report_input.hpp"

namespace atomixtest {

// Above this many operations the timeline draws columns, not operations.
constexpr size_t kTimelineOperationLimit = 20000;

std::string timeline_svg(const ReportInput& input, const std::set<uint32_t>& failing_lines);
std::string latency_svg(const ReportInput& input);
std::string throughput_svg(const ReportInput& input);

}  // namespace atomixtest
