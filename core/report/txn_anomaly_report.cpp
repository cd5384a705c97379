#include "report/txn_anomaly_report.hpp"

#include <fstream>
#include <map>

#include "atomixtest/error.hpp"
#include "report/cycle_svg.hpp"
#include "report/report_charts.hpp"
#include "results/results_dir.hpp"
#include "txn/txn_report.hpp"
#include "util/markup.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

const char* const kAnomalyPageStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1220px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; } h3 { font-size: 14px; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 4px; font-weight: bold; }
.verdict.valid { background: #d9f2dd; color: #14532d; }
.verdict.invalid { background: #fde0e0; color: #7f1d1d; }
.verdict.unknown { background: #fff3cd; color: #664d03; }
pre { font: 12px/1.35 ui-monospace, monospace; background: #f6f6f6; padding: 8px; overflow-x: auto; }
svg text { font: 10px ui-monospace, monospace; fill: #444; }
rect.ok { fill: #4caf50; } rect.fail { fill: #ff9800; } rect.info { fill: #9e9e9e; }
rect.failing { fill: none; stroke: #d50000; stroke-width: 2; }
line.tick { stroke: #ccc; stroke-width: 0.5; }
)";

void write_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file);
    out << text;
    if (!out) throw environment_error("cannot write " + file.string());
}

}  // namespace

ReportInput txn_report_input(const txn::TxnHistory& history) {
    ReportInput input;
    bool timed = false;
    for (const auto& t : history.txns) timed |= t.invoke_ns != 0;
    for (const auto& t : history.txns) {
        ReportOperation op;
        op.process = t.process;
        op.type = t.type;
        op.invoke_line = t.invoke_line;
        // Without times, a millisecond per event keeps the order visible.
        op.invoke_ns = timed ? t.invoke_ns : static_cast<int64_t>(t.invoked_at) * 1'000'000;
        if (t.type != EventType::Info) {
            op.complete_ns =
                timed ? t.complete_ns : static_cast<int64_t>(t.completed_at) * 1'000'000;
        }
        input.end_ns = std::max({input.end_ns, op.invoke_ns, op.complete_ns});
        input.operations.push_back(op);
    }
    input.end_ns += 1;
    return input;
}

std::set<uint32_t> witness_lines(const txn::TxnCheckResult& result) {
    std::set<uint32_t> lines;
    for (const auto& anomaly : result.anomalies) {
        for (auto t : anomaly.txns) lines.insert(result.history.txns[t].invoke_line);
    }
    return lines;
}

void write_txn_anomaly_report(const txn::TxnCheckResult& result, const fs::path& dir) {
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) throw environment_error("cannot create " + dir.string() + ": " + error.message());
    write_json_file(dir / "check.json", txn::to_json(result));
    auto summary = txn::format_txn_result(result, false);
    write_file(dir / "anomalies.txt", txn::format_txn_result(result, true));

    std::string verdict = to_string(result.verdict);
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                       xml_escape(result.history.source) + "</title><style>" + kAnomalyPageStyle +
                       "</style></head><body>\n<h1>" + xml_escape(result.history.source) +
                       "</h1>\n<p><span class=\"verdict " + verdict + "\" id=\"verdict\">" +
                       verdict + "</span></p>\n<pre>" + xml_escape(summary) + "</pre>\n";
    html +=
        "<h2>Timeline</h2><p>A lane per process, a bar per transaction (green ok, orange "
        "fail, grey info); the transactions of every anomaly below are outlined in red.</p>\n";
    html += timeline_svg(txn_report_input(result.history), witness_lines(result));

    std::map<txn::AnomalyClass, int> number;
    std::map<txn::AnomalyClass, std::string> per_class;
    for (const auto& anomaly : result.anomalies) {
        if (anomaly.explanation.empty()) continue;
        std::string name = txn::to_string(anomaly.type);
        auto n = ++number[anomaly.type];
        auto heading = name + " #" + std::to_string(n);
        per_class[anomaly.type] += heading + "\n" + anomaly.explanation + "\n";
        html += "<h2 id=\"" + xml_escape(name) + "-" + std::to_string(n) + "\">" +
                xml_escape(heading) + ": " + xml_escape(std::string(txn::describe(anomaly.type))) +
                "</h2>\n<pre>" + xml_escape(anomaly.explanation) + "</pre>\n";
        if (anomaly.steps.empty()) continue;
        auto svg = cycle_svg(result.history, anomaly,
                             heading + ": " + std::string(txn::describe(anomaly.type)));
        write_file(dir / (name + "-" + std::to_string(n) + ".svg"), svg);
        html += svg;
    }
    for (const auto& [type, text] : per_class) {
        write_file(dir / (std::string(txn::to_string(type)) + ".txt"), text);
    }
    write_file(dir / "report.html", html + "</body></html>\n");
}

}  // namespace atomixtest
