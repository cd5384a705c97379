// The CLI's top-level commands, in one table: dispatch, the usage text, the
// completions and the man page all read it.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace atomixtest::cli {

struct CommandEntry {
    const char* name;
    const char* synopsis;  // what follows `atomix-test`
    const char* summary;
    int (*run)(const Args& args);
    bool hidden = false;  // for the completion scripts only: not in the usage or the man page
};

const std::vector<CommandEntry>& commands();
const CommandEntry* find_command(const std::string& name);

// `atomix-test` alone or with --help.
std::string usage_text();

// Shared by the usage and the man page.
constexpr const char* kProfilesOptionHelp =
    "profiles of your own (NAME.yaml), found before the installed ones; scenarios name "
    "profiles, never paths (also ATOMIX_TEST_PROFILE_PATH)";
struct ExitCode {
    int code;
    const char* meaning;
};
const std::vector<ExitCode>& exit_codes();

}  // namespace atomixtest::cli
