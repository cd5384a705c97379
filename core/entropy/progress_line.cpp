#include "entropy/progress_line.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace atomixtest {

namespace {

std::string whole_seconds(std::chrono::nanoseconds duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) + "s";
}

}  // namespace

ProgressStyle progress_style_for(int fd, bool quiet) {
    if (quiet) return ProgressStyle::None;
    return isatty(fd) ? ProgressStyle::InPlace : ProgressStyle::Lines;
}

std::string progress_text(std::chrono::nanoseconds elapsed, Duration run_time,
                          const WorkloadCounts& counts, const std::string& in_force) {
    double seconds = std::max(1e-3, std::chrono::duration<double>(elapsed).count());
    char rate[32];
    snprintf(rate, sizeof rate, "%.0f ops/s", static_cast<double>(counts.invoked) / seconds);
    auto left = std::max(std::chrono::nanoseconds(0), run_time - elapsed);
    std::string elapsed_text = whole_seconds(elapsed);
    if (elapsed_text.size() < 6) elapsed_text.insert(0, 6 - elapsed_text.size(), ' ');
    return "[" + elapsed_text + "/" + format_duration(run_time) + "] " + std::to_string(counts.ok) +
           " ok, " + std::to_string(counts.fail) + " fail, " + std::to_string(counts.info) +
           " info, " + rate + " | " + (in_force.empty() ? "no fault" : in_force) + " | " +
           whole_seconds(left) + " left";
}

void print_progress(std::ostream& out, ProgressStyle style, const std::string& text) {
    switch (style) {
        case ProgressStyle::None:
            return;
        case ProgressStyle::Lines:
            out << text << "\n";
            return;
        case ProgressStyle::InPlace:
            // Back to the line's start, the new text, then clear what a longer
            // line before it left.
            out << "\r" << text << "\x1b[K" << std::flush;
            return;
    }
}

void end_progress(std::ostream& out, ProgressStyle style) {
    if (style == ProgressStyle::InPlace) out << "\n";
}

}  // namespace atomixtest
