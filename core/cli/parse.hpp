// CLI11 parsing with the project's exit codes: help is 0, any usage error 2.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "cli/commands.hpp"

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
    std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
    try {
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : 2;
    }
    return std::nullopt;
}

}  // namespace atomixtest::cli
