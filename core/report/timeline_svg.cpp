#include <algorithm>
#include <map>

#include "report/report_charts.hpp"
#include "report/svg_canvas.hpp"

namespace atomixtest {

namespace {

constexpr int kTimelineLeft = 70, kTimelineTop = 34, kTimelineWidth = 1100, kTimelineLaneHeight = 9,
              kTimelineMaxLanes = 48;
constexpr int kTimelineColumns = kTimelineWidth / 2;

const char* class_of(EventType type) {
    return type == EventType::Ok ? "ok" : type == EventType::Fail ? "fail" : "info";
}

// A worse outcome wins a shared column: info over fail over ok.
int severity(EventType type) {
    return type == EventType::Info ? 2 : type == EventType::Fail ? 1 : 0;
}

struct Scale {
    int64_t t0 = 0, t1 = 1;
    double x(int64_t ns) const {
        return kTimelineLeft +
               static_cast<double>(ns - t0) / static_cast<double>(t1 - t0) * kTimelineWidth;
    }
};

// Lanes in order of each process's first operation; beyond kTimelineMaxLanes,
// processes share lanes (a retired process's successor is a new process).
std::map<int64_t, int> lanes_of(const ReportInput& input) {
    std::map<int64_t, int> lanes;
    int next = 0;
    for (const auto& operation : input.operations) {
        if (!lanes.count(operation.process)) lanes[operation.process] = next++ % kTimelineMaxLanes;
    }
    return lanes;
}

void draw_columns(SvgCanvas& svg, const ReportInput& input, const std::map<int64_t, int>& lanes,
                  const Scale& scale, int lane_count) {
    // Per lane and outcome, how many operations are in flight in each column.
    std::vector<std::vector<int>> in_flight(static_cast<size_t>(lane_count) * 3,
                                            std::vector<int>(kTimelineColumns + 1));
    auto column = [&](int64_t ns) {
        auto c =
            static_cast<int>((scale.x(ns) - kTimelineLeft) / kTimelineWidth * kTimelineColumns);
        return std::clamp(c, 0, kTimelineColumns - 1);
    };
    for (const auto& operation : input.operations) {
        auto end = operation.complete_ns < 0 ? input.end_ns : operation.complete_ns;
        auto& counts = in_flight[static_cast<size_t>(lanes.at(operation.process)) * 3 +
                                 static_cast<size_t>(severity(operation.type))];
        ++counts[static_cast<size_t>(column(operation.invoke_ns))];
        --counts[static_cast<size_t>(column(end)) + 1];
    }
    const char* classes[] = {"ok", "fail", "info"};
    for (int lane = 0; lane < lane_count; ++lane) {
        int running[3] = {0, 0, 0};
        int run_start = 0, run_class = -1;
        auto flush = [&](int end) {
            if (run_class < 0) return;
            double x =
                kTimelineLeft + static_cast<double>(run_start) * kTimelineWidth / kTimelineColumns;
            svg.rect(x, kTimelineTop + lane * kTimelineLaneHeight + 1,
                     static_cast<double>(end - run_start) * kTimelineWidth / kTimelineColumns,
                     kTimelineLaneHeight - 2, classes[run_class]);
        };
        for (int c = 0; c <= kTimelineColumns; ++c) {
            int worst = -1;
            for (int s = 0; s < 3 && c < kTimelineColumns; ++s) {
                running[s] += in_flight[static_cast<size_t>(lane) * 3 + s][static_cast<size_t>(c)];
                if (running[s] > 0) worst = s;
            }
            if (worst != run_class || c == kTimelineColumns) {
                flush(c);
                run_start = c;
                run_class = worst;
            }
        }
    }
}

}  // namespace

std::string timeline_svg(const ReportInput& input, const std::set<uint32_t>& failing_lines) {
    auto lanes = lanes_of(input);
    int lane_count = std::max(1, std::min(static_cast<int>(lanes.size()), kTimelineMaxLanes));
    Scale scale;
    scale.t0 = input.operations.empty() ? 0 : input.operations.front().invoke_ns;
    for (const auto& fault : input.faults) scale.t0 = std::min(scale.t0, fault.start_ns);
    scale.t1 = std::max(input.end_ns, scale.t0 + 1);
    int height = kTimelineTop + lane_count * kTimelineLaneHeight + 24;
    bool aggregated = input.operations.size() > kTimelineOperationLimit;
    SvgCanvas svg(kTimelineLeft + kTimelineWidth + 10, height, "timeline",
                  "timeline of " + std::to_string(input.operations.size()) + " operations" +
                      (aggregated ? ", aggregated per column" : ""));
    // Fault windows under everything, labelled in two rows so neighbours do not collide.
    int row = 0;
    for (const auto& fault : input.faults) {
        auto stop = fault.stop_ns < 0 ? scale.t1 : fault.stop_ns;
        svg.rect(scale.x(fault.start_ns), kTimelineTop - 4, scale.x(stop) - scale.x(fault.start_ns),
                 lane_count * kTimelineLaneHeight + 8, "fault", fault.label);
        svg.text(scale.x(fault.start_ns) + 2, 12 + 11 * (row++ % 2), fault.label, "fault-label");
    }
    bool shared = lanes.size() > static_cast<size_t>(kTimelineMaxLanes);
    for (int lane = 0; shared && lane < lane_count; ++lane) {
        svg.text(4, kTimelineTop + lane * kTimelineLaneHeight + kTimelineLaneHeight - 1,
                 "lane " + std::to_string(lane), "lane-label");
    }
    for (const auto& [process, lane] : lanes) {
        if (shared) break;
        svg.text(4, kTimelineTop + lane * kTimelineLaneHeight + kTimelineLaneHeight - 1,
                 "process " + std::to_string(process), "lane-label");
    }
    if (aggregated) {
        draw_columns(svg, input, lanes, scale, lane_count);
    } else {
        bool titled = input.operations.size() <= 2000;
        for (const auto& operation : input.operations) {
            auto end = operation.complete_ns < 0 ? scale.t1 : operation.complete_ns;
            svg.rect(scale.x(operation.invoke_ns),
                     kTimelineTop + lanes.at(operation.process) * kTimelineLaneHeight + 1,
                     scale.x(end) - scale.x(operation.invoke_ns), kTimelineLaneHeight - 2,
                     std::string("op ") + class_of(operation.type),
                     titled ? "process " + std::to_string(operation.process) + ", " +
                                  class_of(operation.type) + ", line " +
                                  std::to_string(operation.invoke_line)
                            : "");
        }
    }
    // The failing window on top, each operation marked whatever the scale.
    for (const auto& operation : input.operations) {
        if (!failing_lines.count(operation.invoke_line)) continue;
        auto end = operation.complete_ns < 0 ? scale.t1 : operation.complete_ns;
        svg.rect(scale.x(operation.invoke_ns) - 1,
                 kTimelineTop + lanes.at(operation.process) * kTimelineLaneHeight - 1,
                 scale.x(end) - scale.x(operation.invoke_ns) + 2, kTimelineLaneHeight + 2,
                 "failing",
                 "failing window: process " + std::to_string(operation.process) + ", line " +
                     std::to_string(operation.invoke_line));
    }
    double span = static_cast<double>(scale.t1 - scale.t0) / 1e9;
    double step = tick_step(span, 10);
    int axis = kTimelineTop + lane_count * kTimelineLaneHeight + 14;
    for (int tick = 0; tick * step <= span; ++tick) {
        double t = tick * step;
        double x = kTimelineLeft + t / span * kTimelineWidth;
        svg.line(x, kTimelineTop - 4, x, axis - 10, "tick");
        svg.text(x, axis, time_label(t), "axis-label");
    }
    return svg.finish();
}

}  // namespace atomixtest
