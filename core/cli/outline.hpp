// What a command accepts, read from the CLI11 app it builds: its options
// (with their help and whether they take a value) and its subcommands. The
// completions and the man page are made from it, so they follow the
// commands as they are written and never drift from them.
//
// A command is outlined by calling it while an OutlineCapture is alive:
// parse_args() then records the app it was given instead of parsing, and the
// command returns before doing anything.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace atomixtest::cli {

struct OptionOutline {
    std::vector<std::string> names;  // "-c", "--config"; a positional: its name
    std::string help;
    bool takes_value = false;
    bool positional = false;
};

struct CommandOutline {
    std::string name;
    std::string description;
    std::string footer;
    std::vector<OptionOutline> options;  // --help left out
    std::vector<CommandOutline> subcommands;
};

CommandOutline outline_of(const CLI::App& app);

// While one is alive (on this thread), parse_args() records instead of parsing.
class OutlineCapture {
  public:
    OutlineCapture();
    ~OutlineCapture();
    OutlineCapture(const OutlineCapture&) = delete;
    OutlineCapture& operator=(const OutlineCapture&) = delete;
    // The app parse_args() was given last (none: the command never parsed).
    const std::optional<CommandOutline>& outline() const { return outline_; }

  private:
    friend bool capture_outline(const CLI::App& app);
    std::optional<CommandOutline> outline_;
    OutlineCapture* previous_;
};

// What the command would parse, without running it (empty: it refused the
// words before it built its app).
CommandOutline outline_of_command(int (*run)(const Args&), const Args& args);

// parse_args()'s hook: true when the app was recorded (nothing to parse).
bool capture_outline(const CLI::App& app);

}  // namespace atomixtest::cli
