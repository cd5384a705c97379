// The transactional checker's record in a directory (`check --directory
// OUT`, and entropy runs with a transactional workload): check.json, the
// explanations (anomalies.txt, and CLASS.txt per class as Elle writes them),
// an SVG of each witness cycle (CLASS-N.svg) and report.html: the verdict,
// the timeline of transactions with every witness marked, each anomaly
// explained beside its drawing. Self-contained, nothing fetched.
#pragma once

#include <filesystem>
#include <set>

#include "report/report_input.hpp"
#include "txn/txn_check.hpp"

namespace atomixtest {

void write_txn_anomaly_report(const txn::TxnCheckResult& result, const std::filesystem::path& dir);

// The history lines where each witness transaction was invoked, to mark on a
// timeline.
std::set<uint32_t> witness_lines(const txn::TxnCheckResult& result);

// The transactions as a report's operations (event positions stand for times
// when the history has none).
ReportInput txn_report_input(const txn::TxnHistory& history);

}  // namespace atomixtest
