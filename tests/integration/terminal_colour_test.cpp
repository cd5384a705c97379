// Colour on a terminal only: a verdict is coloured where a person reads it
// (a pseudo-terminal, made by script(1)), and plain in a pipe or with
// NO_COLOR set.
#include <gtest/gtest.h>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

// The command's output as a terminal receives it.
std::string on_a_terminal(const std::string& environment, const std::string& arguments) {
    auto command = environment + " TERM=xterm " + cli_path().string() + " " + arguments;
    return run_process({.argv = {"script", "-qec", command, "/dev/null"}}).out;
}

TEST(TerminalColour, AVerdictIsColouredOnATerminalAloneAndNeverWithNoColor) {
    auto stale = (source_dir() / "examples/histories/stale-read.jsonl").string();
    auto fine = (source_dir() / "examples/histories/linearizable.jsonl").string();
    EXPECT_NE(on_a_terminal("env -u NO_COLOR", "check " + stale + " --model kv")
                  .find("\033[31;1mnot linearizable\033[0m: "),
              std::string::npos);
    EXPECT_NE(on_a_terminal("env -u NO_COLOR", "check " + fine + " --model kv")
                  .find("\033[32;1mlinearizable\033[0m: "),
              std::string::npos);
    auto without = on_a_terminal("env NO_COLOR=1", "check " + stale + " --model kv");
    EXPECT_NE(without.find("not linearizable: "), std::string::npos) << without;
    EXPECT_EQ(without.find('\033'), std::string::npos) << "NO_COLOR";
    auto piped = cli({"check", stale, "--model", "kv"});
    EXPECT_EQ(piped.exit_code, 1);
    EXPECT_EQ(piped.out.find('\033'), std::string::npos) << "a pipe";
}

}  // namespace
}  // namespace atomixtest::testing
