// The HTML report of a results directory: one self-contained page (inline CSS
// and SVG, no script, nothing fetched), readable from a file.
#pragma once

#include <filesystem>
#include <string>

#include "report/report_input.hpp"

namespace atomixtest {

std::string render_report(const ReportInput& input);

// Writes DIR/report.html, and DIR/summary.json when the directory has none
// (a history from elsewhere): counts, availability and latency from the
// history. Returns the report's path.
std::filesystem::path write_report(const std::filesystem::path& dir);

}  // namespace atomixtest
