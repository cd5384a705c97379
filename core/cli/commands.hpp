// The CLI's commands. Each takes the words after its own name and returns the
// process exit code: 0 ok, 1 a test or assertion failed, 2 bad input, usage or
// a set-up problem.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace atomixtest::cli {

using Args = std::vector<std::string>;

int run_cli(int argc, char** argv);
int cluster_command(const Args& args);
int run_command(const Args& args);
int entropy_command(const Args& args);
int check_command(const Args& args);
int report_command(const Args& args);
int gc_command(const Args& args);
int plugins_command(const Args& args);
int completion_command(const Args& args);
int complete_command(const Args& args);
int man_command(const Args& args);

// `cluster NAME <fault>`: a plugin's verb, `fault PLUGIN.VERB`, or an alias.
bool is_fault_command(const std::string& word);
int fault_command(const std::string& cluster, const Args& args);
std::string fault_commands_usage();
// `fault` and the aliases (isolate, kill...): the words besides PLUGIN.VERB.
std::vector<std::string> fault_command_words();

}  // namespace atomixtest::cli
