#include "report/svg_canvas.hpp"

#include "util/markup.hpp"

#include <cmath>
#include <cstdio>

namespace atomixtest {

std::string svg_number(double value) {
    char text[32];
    snprintf(text, sizeof text, "%.1f", value);
    std::string result = text;
    if (result.size() > 2 && result.compare(result.size() - 2, 2, ".0") == 0)
        result.resize(result.size() - 2);
    return result;
}

SvgCanvas::SvgCanvas(int width, int height, const std::string& id, const std::string& label) {
    out_ = "<svg id=\"" + id + "\" width=\"" + std::to_string(width) + "\" height=\"" +
           std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
           std::to_string(height) + "\" role=\"img\" aria-label=\"" + xml_escape(label) + "\">\n";
}

void SvgCanvas::rect(double x, double y, double width, double height, std::string_view css_class,
                     std::string_view title) {
    out_ += "<rect class=\"" + std::string(css_class) + "\" x=\"" + svg_number(x) + "\" y=\"" +
            svg_number(y) + "\" width=\"" + svg_number(std::max(width, 0.6)) + "\" height=\"" +
            svg_number(height) + "\"";
    if (title.empty()) {
        out_ += "/>\n";
    } else {
        out_ += "><title>" + xml_escape(title) + "</title></rect>\n";
    }
}

void SvgCanvas::line(double x1, double y1, double x2, double y2, std::string_view css_class) {
    out_ += "<line class=\"" + std::string(css_class) + "\" x1=\"" + svg_number(x1) + "\" y1=\"" +
            svg_number(y1) + "\" x2=\"" + svg_number(x2) + "\" y2=\"" + svg_number(y2) + "\"/>\n";
}

void SvgCanvas::polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view css_class) {
    if (points.empty()) return;
    out_ += "<polyline class=\"" + std::string(css_class) + "\" points=\"";
    for (const auto& [x, y] : points) out_ += svg_number(x) + "," + svg_number(y) + " ";
    out_ += "\"/>\n";
}

void SvgCanvas::text(double x, double y, std::string_view content, std::string_view css_class) {
    out_ += "<text class=\"" + std::string(css_class) + "\" x=\"" + svg_number(x) + "\" y=\"" +
            svg_number(y) + "\">" + xml_escape(content) + "</text>\n";
}

std::string SvgCanvas::finish() {
    return out_ + "</svg>\n";
}

std::string time_label(double seconds) {
    char text[32];
    if (seconds < 1 && seconds > 0) {
        snprintf(text, sizeof text, "%.0fms", seconds * 1000);
    } else if (seconds < 60) {
        snprintf(text, sizeof text, "%gs", std::round(seconds * 10) / 10);
    } else {
        snprintf(text, sizeof text, "%dm%02ds", static_cast<int>(seconds) / 60,
                 static_cast<int>(seconds) % 60);
    }
    return text;
}

double tick_step(double span, int count) {
    if (span <= 0) return 1;
    double raw = span / count;
    double power = std::pow(10, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (raw <= factor * power) return factor * power;
    }
    return 10 * power;
}

}  // namespace atomixtest
