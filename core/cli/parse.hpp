// CLI11 parsing with the project's exit codes: help is 0, any usage error 2.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>

#include "cli/commands.hpp"

namespace atomixtest::cli {

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
