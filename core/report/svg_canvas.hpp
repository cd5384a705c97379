// A small SVG writer: shapes with CSS classes (the page's inline style gives
// them colour), coordinates to one decimal, text escaped. Just what the
// report's drawings need.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atomixtest {

class SvgCanvas {
  public:
    SvgCanvas(int width, int height, const std::string& id, const std::string& label);

    void rect(double x, double y, double width, double height, std::string_view css_class,
              std::string_view title = {});
    void line(double x1, double y1, double x2, double y2, std::string_view css_class);
    void polyline(const std::vector<std::pair<double, double>>& points, std::string_view css_class);
    void text(double x, double y, std::string_view content, std::string_view css_class);

    std::string finish();

  private:
    std::string out_;
};

// A coordinate to one decimal, without a trailing ".0".
std::string svg_number(double value);

// "1.5s", "250ms", "2m10s": axis labels.
std::string time_label(double seconds);

// A round step (1, 2 or 5 times a power of ten) giving about `count` ticks.
double tick_step(double span, int count);

}  // namespace atomixtest
