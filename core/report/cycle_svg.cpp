#include "report/cycle_svg.hpp"

#include <cmath>

#include "report/svg_canvas.hpp"
#include "txn/explanation.hpp"
#include "txn/inference.hpp"
#include "util/markup.hpp"

namespace atomixtest {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBoxWidth = 240, kBoxHeight = 42;

const char* const kCycleStyle =
    "text{font:11px ui-monospace,monospace;fill:#222}"
    ".title{font:bold 13px system-ui,sans-serif}"
    "rect.txn{fill:#f4f6fb;stroke:#4a5a80;stroke-width:1.2}"
    "path.dep{fill:none;stroke-width:1.6}"
    ".ww{stroke:#1565c0;fill:#1565c0}.wr{stroke:#2e7d32;fill:#2e7d32}"
    ".rw{stroke:#c62828;fill:#c62828}.process{stroke:#6a1b9a;fill:#6a1b9a}"
    ".realtime{stroke:#ef6c00;fill:#ef6c00}"
    "text.ww,text.wr,text.rw,text.process,text.realtime{stroke:none;font-weight:bold}";

std::string shortened(const std::string& text, size_t limit) {
    return text.size() <= limit ? text : text.substr(0, limit - 3) + "...";
}

}  // namespace

std::string cycle_svg(const txn::TxnHistory& history, const txn::TxnAnomaly& cycle,
                      const std::string& title) {
    auto n = cycle.txns.size();
    // Far enough apart that neighbours' boxes do not touch.
    double radius =
        std::max(150.0, (kBoxWidth + 60) / (2 * std::sin(kPi / static_cast<double>(n))));
    double width = 2 * radius + kBoxWidth + 40;
    double height = n == 2 ? 260 : 2 * radius + kBoxHeight + 70;
    double cx = width / 2, cy = height / 2 + 14;
    auto x_of = [&](size_t i) {
        return cx +
               radius * std::cos(kPi - 2 * kPi * static_cast<double>(i) / static_cast<double>(n));
    };
    auto y_of = [&](size_t i) {
        return cy - radius *
                        std::sin(kPi - 2 * kPi * static_cast<double>(i) / static_cast<double>(n)) *
                        (n == 2 ? 0 : 1);
    };
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + svg_number(width) +
                      "\" height=\"" + svg_number(height) + "\" viewBox=\"0 0 " +
                      svg_number(width) + " " + svg_number(height) +
                      "\" role=\"img\" aria-label=\"" + xml_escape(title) + "\">\n<style>" +
                      kCycleStyle + "</style>\n<defs>";
    for (const char* kind : {"ww", "wr", "rw", "process", "realtime"}) {
        svg += "<marker id=\"arrow-" + std::string(kind) +
               "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
               "markerHeight=\"7\" orient=\"auto\"><path class=\"" +
               kind + "\" d=\"M0,0 L10,5 L0,10 z\"/></marker>";
    }
    svg += "</defs>\n<text class=\"title\" x=\"12\" y=\"20\">" + xml_escape(title) + "</text>\n";
    // Arrows first, boxes over them.
    for (size_t i = 0; i < n; ++i) {
        auto j = (i + 1) % n;
        double x1 = x_of(i), y1 = y_of(i), x2 = x_of(j), y2 = y_of(j);
        double mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
        // Bow each arrow away from the centre (for two, one above, one below).
        double nx = mx - cx, ny = my - cy;
        if (n == 2) {
            nx = 0;
            ny = i == 0 ? -1 : 1;
        }
        double length = std::max(1e-6, std::hypot(nx, ny));
        double bow = n == 2 ? 70 : 40;
        double qx = mx + nx / length * bow, qy = my + ny / length * bow;
        // Start and end at the boxes' edges (their half height from the centre, roughly).
        auto trim = [&](double px, double py, double tx, double ty) {
            double dx = tx - px, dy = ty - py, d = std::max(1e-6, std::hypot(dx, dy));
            double t =
                std::min(0.45, (kBoxHeight / 2 + 8) / d * (std::abs(dy) > std::abs(dx) ? 1 : 4));
            return std::pair{px + dx * t, py + dy * t};
        };
        auto [sx, sy] = trim(x1, y1, qx, qy);
        auto [ex, ey] = trim(x2, y2, qx, qy);
        const char* kind = txn::edge_name(cycle.steps[i]);
        svg += "<path class=\"dep " + std::string(kind) + "\" style=\"fill:none\" d=\"M" +
               svg_number(sx) + "," + svg_number(sy) + " Q" + svg_number(qx) + "," +
               svg_number(qy) + " " + svg_number(ex) + "," + svg_number(ey) +
               "\" marker-end=\"url(#arrow-" + kind + ")\"/>\n";
        // The label just outside the arrow's middle, clear of its line.
        double lx = (sx + 2 * qx + ex) / 4 + nx / length * 12;
        double ly = (sy + 2 * qy + ey) / 4 + ny / length * 12 + 4;
        svg += "<text class=\"" + std::string(kind) + "\" x=\"" + svg_number(lx) + "\" y=\"" +
               svg_number(ly) + "\" text-anchor=\"middle\">" + kind + "</text>\n";
    }
    for (size_t i = 0; i < n; ++i) {
        const auto& txn = history.txns[cycle.txns[i]];
        double x = x_of(i) - kBoxWidth / 2, y = y_of(i) - kBoxHeight / 2;
        svg += "<rect class=\"txn\" rx=\"6\" x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) +
               "\" width=\"" + svg_number(kBoxWidth) + "\" height=\"" + svg_number(kBoxHeight) +
               "\">" + "<title>" + xml_escape(txn::txn_text(history, cycle.txns[i])) +
               "</title></rect>\n";
        svg += "<text x=\"" + svg_number(x + 8) + "\" y=\"" + svg_number(y + 16) + "\">T" +
               std::to_string(i + 1) + "  process " + std::to_string(txn.process) + ", " +
               to_string(txn.type) + ", line " + std::to_string(txn.invoke_line) + "</text>\n";
        svg += "<text x=\"" + svg_number(x + 8) + "\" y=\"" + svg_number(y + 32) + "\">" +
               xml_escape(shortened(txn::mops_text(history, cycle.txns[i]), 34)) + "</text>\n";
    }
    return svg + "</svg>\n";
}

}  // namespace atomixtest
