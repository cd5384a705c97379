#include "report/html_report.hpp"

#include <fstream>
#include <set>

#include "atomixtest/error.hpp"
#include "report/report_charts.hpp"
#include "report/svg_canvas.hpp"
#include "report/txn_section.hpp"
#include "results/results_dir.hpp"
#include "util/markup.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

const char* const kPageStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1220px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 4px; font-weight: bold; }
.verdict.pass { background: #d9f2dd; color: #14532d; }
.verdict.fail { background: #fde0e0; color: #7f1d1d; }
.verdict.unknown { background: #fff3cd; color: #664d03; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; font-size: 13px; }
code, pre { font: 12px/1.35 ui-monospace, monospace; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; max-height: 320px; }
svg text { font: 10px ui-monospace, monospace; fill: #444; }
rect.ok { fill: #4caf50; } rect.fail { fill: #ff9800; } rect.info { fill: #9e9e9e; }
rect.fault { fill: #e53935; fill-opacity: 0.10; }
text.fault-label { fill: #b71c1c; }
rect.failing { fill: none; stroke: #d50000; stroke-width: 2; }
line.tick, line.grid { stroke: #ccc; stroke-width: 0.5; }
polyline.p50 { fill: none; stroke: #1565c0; stroke-width: 1.5; }
polyline.p99 { fill: none; stroke: #8e24aa; stroke-width: 1.2; }
rect.max { fill: #8e24aa; fill-opacity: 0.5; }
.legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
)";

std::string verdict_of(const ReportInput& input) {
    if (input.check.is_object()) return input.check.value("verdict", "unknown");
    if (input.summary.is_object()) return input.summary.value("verdict", "unknown");
    return "not checked";
}

std::string verdict_class(const std::string& verdict) {
    if (verdict == "linearizable" || verdict == "passed" || verdict == "valid") return "pass";
    if (verdict == "not linearizable" || verdict == "failed" || verdict == "invalid") return "fail";
    return "unknown";
}

std::string cell(const nlohmann::json& value) {
    return "<td>" + xml_escape(value.is_string() ? value.get<std::string>() : value.dump()) +
           "</td>";
}

// The failing windows of the checker, and the history lines of their operations.
std::string failing_section(const ReportInput& input, std::set<uint32_t>& lines) {
    if (!input.check.is_object() || !input.check.contains("failing")) return "";
    std::string html;
    for (const auto& window : input.check["failing"]) {
        html += "<h3>key " + xml_escape(window.value("key", nlohmann::json()).dump()) + "</h3>";
        html += "<p>After a linearizable prefix of " +
                std::to_string(window.value("prefix_length", 0)) +
                " operations the state is <code>" +
                xml_escape(window.value("state", nlohmann::json()).dump()) +
                "</code>; these cannot be linearized from it:</p>";
        html +=
            "<table><tr><th>process</th><th>type</th><th>f</th><th>value</th>"
            "<th>result</th><th>history lines</th></tr>";
        for (const auto& operation : window.value("operations", nlohmann::json::array())) {
            auto line = operation.value("invoke_line", 0);
            lines.insert(static_cast<uint32_t>(line));
            html += "<tr>" + cell(operation.value("process", nlohmann::json())) +
                    cell(operation.value("type", nlohmann::json())) +
                    cell(operation.value("f", nlohmann::json())) +
                    cell(operation.value("value", nlohmann::json())) +
                    cell(operation.value("result", nlohmann::json())) +
                    cell(std::to_string(line) + "-" +
                         std::to_string(operation.value("complete_line", 0))) +
                    "</tr>";
        }
        html += "</table>";
    }
    if (html.empty()) return "";
    return "<h2>Failing window</h2><p>Marked in red on the timeline.</p>" + html;
}

std::string availability_section(const ReportInput& input) {
    const auto& figures = input.availability;  // from the history: a report needs no summary
    std::string html =
        "<table><tr><th></th><th>invoked</th><th>answered</th><th>availability</th></tr>";
    for (const char* part : {"during_faults", "outside_faults", "overall"}) {
        const auto& row = figures[part];
        char ratio[16];
        snprintf(ratio, sizeof ratio, "%.3f", row["availability"].get<double>());
        html += "<tr><th>" + std::string(part) + "</th>" + cell(row["invoked"]) +
                cell(row["answered"]) + cell(ratio) + "</tr>";
    }
    html += "</table>";
    if (!figures["ok_latency"].is_null()) {
        char text[160];
        snprintf(text, sizeof text,
                 "<p>Latency of ok operations: p50 %.2f ms, p99 %.2f ms, max %.2f ms.</p>",
                 figures["ok_latency"]["p50_ms"].get<double>(),
                 figures["ok_latency"]["p99_ms"].get<double>(),
                 figures["ok_latency"]["max_ms"].get<double>());
        html += text;
    }
    return html;
}

std::string schedule_section(const ReportInput& input) {
    std::string html = "<h2>Faults</h2>";
    if (input.schedule.is_object()) {
        html += "<p>Seed <code>" +
                xml_escape(input.schedule.value("seed", nlohmann::json()).dump()) +
                "</code>, run time " + xml_escape(input.schedule.value("run_time", std::string())) +
                ".</p>";
    }
    html += "<table><tr><th>fault</th><th>start</th><th>stop</th></tr>";
    for (const auto& fault : input.faults) {
        auto seconds = [&](int64_t ns) {
            return ns < 0 ? std::string("(in force at the end)")
                          : time_label(static_cast<double>(ns) / 1e9);
        };
        html += "<tr>" + cell(fault.label) + cell(seconds(fault.start_ns)) +
                cell(seconds(fault.stop_ns)) + "</tr>";
    }
    return html + "</table>";
}

}  // namespace

std::string render_report(const ReportInput& input) {
    auto verdict = verdict_of(input);
    std::set<uint32_t> failing_lines;
    auto failing =
        failing_section(input, failing_lines) + txn_anomalies_section(input, failing_lines);
    std::string title = input.dir.filename().string();
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>" +
        xml_escape(title) + "</title><style>" + kPageStyle + "</style></head><body>\n";
    html += "<h1>" + xml_escape(title) + "</h1>\n<p><span class=\"verdict " +
            verdict_class(verdict) + "\" id=\"verdict\">" + xml_escape(verdict) + "</span></p>\n";
    if (!input.command.empty()) {
        html +=
            "<p>Reproduce with <code id=\"command\">" + xml_escape(input.command) + "</code></p>\n";
    }
    size_t counts[3] = {0, 0, 0};
    for (const auto& operation : input.operations) {
        ++counts[operation.type == EventType::Ok ? 0 : operation.type == EventType::Fail ? 1 : 2];
    }
    html += "<p>" + std::to_string(input.operations.size()) +
            " operations: " + std::to_string(counts[0]) + " ok, " + std::to_string(counts[1]) +
            " fail, " + std::to_string(counts[2]) + " info; " +
            std::to_string(input.faults.size()) + " faults.</p>\n";
    html +=
        "<h2>Timeline</h2><p class=\"legend\"><span><i class=\"swatch\" "
        "style=\"background:#4caf50\"></i>ok</span>"
        "<span><i class=\"swatch\" style=\"background:#ff9800\"></i>fail</span>"
        "<span><i class=\"swatch\" style=\"background:#9e9e9e\"></i>info (outcome unknown)</span>"
        "<span><i class=\"swatch\" style=\"background:#fbe3e3\"></i>fault in force</span></p>\n";
    if (input.operations.size() > kTimelineOperationLimit) {
        html += "<p>" + std::to_string(input.operations.size()) +
                " operations, drawn per column: a column shows the worst outcome in flight.</p>";
    }
    html += timeline_svg(input, failing_lines);
    html +=
        "<h2>Latency</h2><p class=\"legend\"><span style=\"color:#1565c0\">p50</span>"
        "<span style=\"color:#8e24aa\">p99</span><span>dots: max</span></p>\n" +
        latency_svg(input);
    html += "<h2>Throughput and availability</h2>" + throughput_svg(input) +
            availability_section(input);
    html += failing;
    html += schedule_section(input);
    if (!input.log_tails.empty()) {
        html += "<h2>Node logs (last lines)</h2>";
        for (const auto& [file, tail] : input.log_tails) {
            html += "<h3>" + xml_escape(file) + "</h3><pre>" + xml_escape(tail) + "</pre>";
        }
    }
    return html + "</body></html>\n";
}

fs::path write_report(const fs::path& dir) {
    auto input = load_report_input(dir);
    auto file = dir / "report.html";
    std::ofstream out(file);
    out << render_report(input);
    if (!out) throw environment_error("cannot write " + file.string());
    if (!fs::exists(dir / "summary.json")) {
        size_t counts[3] = {0, 0, 0};
        for (const auto& operation : input.operations) {
            ++counts[operation.type == EventType::Ok     ? 0
                     : operation.type == EventType::Fail ? 1
                                                         : 2];
        }
        write_json_file(dir / "summary.json", {{"operations",
                                                {{"invoked", input.operations.size()},
                                                 {"ok", counts[0]},
                                                 {"fail", counts[1]},
                                                 {"info", counts[2]}}},
                                               {"faults", input.faults.size()},
                                               {"availability", input.availability},
                                               {"verdict", verdict_of(input)}});
    }
    return file;
}

}  // namespace atomixtest
