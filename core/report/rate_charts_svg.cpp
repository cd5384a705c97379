// Latency and throughput over time, in buckets of the run's duration.
#include <algorithm>

#include "report/report_charts.hpp"
#include "report/svg_canvas.hpp"

namespace atomixtest {

namespace {

constexpr int kChartLeft = 70, kChartTop = 10, kChartWidth = 1100, kChartHeight = 160,
              kChartBuckets = 200;

struct Buckets {
    int64_t t0 = 0, t1 = 1;
    size_t of(int64_t ns) const {
        auto b = static_cast<int64_t>(static_cast<double>(ns - t0) / static_cast<double>(t1 - t0) *
                                      kChartBuckets);
        return static_cast<size_t>(std::clamp<int64_t>(b, 0, kChartBuckets - 1));
    }
    double x(size_t bucket) const {
        return kChartLeft + (bucket + 0.5) * kChartWidth / kChartBuckets;
    }
    double x_at(int64_t ns) const {
        return kChartLeft +
               static_cast<double>(ns - t0) / static_cast<double>(t1 - t0) * kChartWidth;
    }
    double seconds_each() const { return static_cast<double>(t1 - t0) / 1e9 / kChartBuckets; }
};

Buckets buckets_of(const ReportInput& input) {
    Buckets buckets;
    buckets.t0 = input.operations.empty() ? 0 : input.operations.front().invoke_ns;
    for (const auto& fault : input.faults) buckets.t0 = std::min(buckets.t0, fault.start_ns);
    buckets.t1 = std::max(input.end_ns, buckets.t0 + 1);
    return buckets;
}

void shade_faults(SvgCanvas& svg, const ReportInput& input, const Buckets& buckets) {
    for (const auto& fault : input.faults) {
        auto stop = fault.stop_ns < 0 ? buckets.t1 : fault.stop_ns;
        svg.rect(buckets.x_at(fault.start_ns), kChartTop,
                 buckets.x_at(stop) - buckets.x_at(fault.start_ns), kChartHeight, "fault",
                 fault.label);
    }
}

void time_axis(SvgCanvas& svg, const Buckets& buckets) {
    double span = static_cast<double>(buckets.t1 - buckets.t0) / 1e9;
    double step = tick_step(span, 10);
    for (int tick = 0; tick * step <= span; ++tick) {
        double t = tick * step;
        double x = kChartLeft + t / span * kChartWidth;
        svg.line(x, kChartTop + kChartHeight, x, kChartTop + kChartHeight + 4, "tick");
        svg.text(x, kChartTop + kChartHeight + 16, time_label(t), "axis-label");
    }
}

void value_axis(SvgCanvas& svg, double top, const std::string& unit) {
    double step = tick_step(top, 4);
    for (int tick = 0; tick * step <= top; ++tick) {
        double v = tick * step;
        double y = kChartTop + kChartHeight - v / top * kChartHeight;
        svg.line(kChartLeft - 4, y, kChartLeft + kChartWidth, y, "grid");
        char text[32];
        snprintf(text, sizeof text, "%g%s", v, unit.c_str());
        svg.text(2, y + 4, text, "axis-label");
    }
}

}  // namespace

std::string latency_svg(const ReportInput& input) {
    auto buckets = buckets_of(input);
    std::vector<std::vector<double>> latencies(kChartBuckets);
    for (const auto& operation : input.operations) {
        if (operation.type != EventType::Ok || operation.complete_ns < 0) continue;
        latencies[buckets.of(operation.invoke_ns)].push_back(
            static_cast<double>(operation.complete_ns - operation.invoke_ns) / 1e6);
    }
    std::vector<std::pair<double, double>> p50, p99;
    std::vector<std::pair<size_t, double>> peaks;
    double top = 1;
    for (size_t b = 0; b < latencies.size(); ++b) {
        auto& values = latencies[b];
        if (values.empty()) continue;
        std::sort(values.begin(), values.end());
        auto at = [&](double q) { return values[static_cast<size_t>(q * (values.size() - 1))]; };
        p50.emplace_back(b, at(.5));
        p99.emplace_back(b, at(.99));
        peaks.emplace_back(b, values.back());
        top = std::max(top, at(.99));
    }
    top *= 1.1;
    SvgCanvas svg(kChartLeft + kChartWidth + 10, kChartTop + kChartHeight + 24, "latency",
                  "latency of ok operations over time: p50, p99 and max");
    shade_faults(svg, input, buckets);
    value_axis(svg, top, "ms");
    auto to_points = [&](const std::vector<std::pair<double, double>>& series) {
        std::vector<std::pair<double, double>> points;
        for (const auto& [b, ms] : series) {
            points.emplace_back(buckets.x(static_cast<size_t>(b)),
                                kChartTop + kChartHeight - std::min(ms, top) / top * kChartHeight);
        }
        return points;
    };
    for (const auto& [b, ms] : peaks) {
        // A peak above the plot sits on its top edge.
        svg.rect(buckets.x(b) - 1,
                 kChartTop + kChartHeight - std::min(ms, top) / top * kChartHeight - 1, 2, 2,
                 "max");
    }
    svg.polyline(to_points(p99), "p99");
    svg.polyline(to_points(p50), "p50");
    time_axis(svg, buckets);
    return svg.finish();
}

std::string throughput_svg(const ReportInput& input) {
    auto buckets = buckets_of(input);
    std::vector<std::array<double, 3>> counts(kChartBuckets, {0, 0, 0});
    for (const auto& operation : input.operations) {
        int kind = operation.type == EventType::Ok ? 0 : operation.type == EventType::Fail ? 1 : 2;
        counts[buckets.of(operation.invoke_ns)][static_cast<size_t>(kind)] += 1;
    }
    double per_second = 1 / buckets.seconds_each();
    double top = 1;
    for (const auto& bucket : counts)
        top = std::max(top, (bucket[0] + bucket[1] + bucket[2]) * per_second);
    top *= 1.1;
    SvgCanvas svg(kChartLeft + kChartWidth + 10, kChartTop + kChartHeight + 24, "throughput",
                  "operations invoked per second, by outcome");
    shade_faults(svg, input, buckets);
    value_axis(svg, top, "/s");
    const char* classes[] = {"ok", "fail", "info"};
    double width = static_cast<double>(kChartWidth) / kChartBuckets;
    for (size_t b = 0; b < counts.size(); ++b) {
        double base = kChartTop + kChartHeight;
        for (size_t kind = 0; kind < 3; ++kind) {
            double height = counts[b][kind] * per_second / top * kChartHeight;
            if (height <= 0) continue;
            base -= height;
            svg.rect(kChartLeft + b * width, base, width - 0.5, height, classes[kind]);
        }
    }
    time_axis(svg, buckets);
    return svg.finish();
}

}  // namespace atomixtest
