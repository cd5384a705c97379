// CLI11 parsing with the project's exit codes: help is 0, any usage error 2.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"
#include "cli/commands.hpp"
#include "cli/outline.hpp"

namespace atomixtest::cli {

// A number that means something: NaN and infinities (which strtod accepts
// as "nan" and "inf") are refused where CLI11's own checks let them through
// (a NaN is neither above nor below any bound).
inline const CLI::Validator kFiniteNumber(
    [](std::string& text) -> std::string {
        char* end = nullptr;
        double number = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !std::isfinite(number)) {
            return "expected a finite number, got '" + text + "'";
        }
        return {};
    },
    "NUMBER");

// Returns an exit code when parsing ended the command (help or error).
inline std::optional<int> parse_args(CLI::App& app, Args args) {
    if (capture_outline(app)) return 0;      // outlined for completions or the man page
    std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
    try {
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : 2;
    }
    return std::nullopt;
}

// --memory-limit of check, run and entropy: a size above 0 (512m, 2g); empty: 0,
// the checker's default.
inline size_t parse_memory_limit(const std::string& text) {
    if (text.empty()) return 0;
    auto bytes = parse_size(text, "--memory-limit");
    if (bytes <= 0) throw bad_input("--memory-limit: above 0, e.g. 512m or 2g");
    return static_cast<size_t>(bytes);
}

// The help of those commands' --memory-limit and --all-keys.
constexpr const char* kMemoryLimitHelp =
    "what the linearizability check may hold, e.g. 2g; a key (or a history) that needs more is "
    "undecided (default: a quarter of the machine's memory)";
constexpr const char* kAllKeysHelp =
    "the linearizability check decides and explains every key, instead of stopping at the first "
    "key that is not linearizable";

}  // namespace atomixtest::cli
