// Shell completion and the man page, from the real CLI: what they offer is
// what the commands, the plugins and the profiles accept now, and a cluster
// set up a moment ago is offered by name.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

std::vector<std::string> all_lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The candidates for the last word of `words` (the words after atomix-test).
std::vector<std::string> complete(const std::vector<std::string>& words) {
    std::vector<std::string> args = {"__complete", std::to_string(words.size() - 1)};
    args.insert(args.end(), words.begin(), words.end());
    auto result = cli(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return all_lines_of(result.out);
}

bool has(const std::vector<std::string>& candidates, const std::string& word) {
    return std::find(candidates.begin(), candidates.end(), word) != candidates.end();
}

TEST(Completion, CommandsVerbsOptionsAndProfilesComeFromWhatTheToolAccepts) {
    auto commands = complete({""});
    for (const char* command : {"cluster", "run", "entropy", "check", "gc", "man"}) {
        EXPECT_TRUE(has(commands, command)) << command;
    }
    EXPECT_FALSE(has(commands, "__complete")) << "the helper is not offered";

    auto cluster_words = complete({"cluster", "c1", ""});
    for (const char* word : {"setup", "teardown", "nodes", "isolate", "fault", "node.pause",
                             "net.partition", "clock.bump", "stress.start"}) {
        EXPECT_TRUE(has(cluster_words, word)) << word;
    }
    // A prefix narrows them.
    auto net = complete({"cluster", "c1", "net.d"});
    EXPECT_TRUE(has(net, "net.delay") && has(net, "net.drop"));
    EXPECT_FALSE(has(net, "net.isolate"));

    // Options from the verb's declaration, and from setup's own app.
    EXPECT_TRUE(has(complete({"cluster", "c1", "net.delay", "--"}), "--latency"));
    EXPECT_TRUE(has(complete({"cluster", "c1", "rate", "--"}), "--burst"));
    auto setup = complete({"cluster", "c1", "setup", "--"});
    EXPECT_TRUE(has(setup, "--config") && has(setup, "--backend") && has(setup, "--nodes"));

    // Values: profiles, backends, models, entropy functions, fault params.
    auto profiles = complete({"cluster", "c1", "setup", "-c", ""});
    EXPECT_TRUE(has(profiles, "etcd") && has(profiles, "consensus")) << profiles.size();
    EXPECT_TRUE(has(complete({"cluster", "c1", "setup", "--backend", ""}), "docker"));
    EXPECT_TRUE(has(complete({"check", "--model", ""}), "list-append"));
    EXPECT_TRUE(has(complete({"entropy", "cr"}), "crash"));
    EXPECT_TRUE(has(complete({"cluster", "c1", "fault", "net.delay", "lat"}), "latency="));
    // A file name is the shell's: nothing offered.
    EXPECT_TRUE(complete({"run", "scen"}).empty());
}

TEST(Completion, AClusterSetUpIsOfferedByNameAndTheBashScriptAsksTheTool) {
    auto cluster = unique_cluster("complete");
    ASSERT_EQ(cli({"cluster", cluster, "setup", "-c", "etcd", "-n", "1"}).exit_code, 0);
    EXPECT_TRUE(has(complete({"cluster", cluster.substr(0, 6)}), cluster));

    // The script itself, as bash runs it on a Tab after `atomix-test cluster NAME node.pa`.
    auto script = cli({"completion", "bash"});
    ASSERT_EQ(script.exit_code, 0);
    auto file = std::filesystem::temp_directory_path() / (cluster + ".bash");
    std::ofstream(file) << script.out;
    auto shell = run_process(
        {.argv = {"bash", "-c",
                  "source " + file.string() + " && COMP_WORDS=(" + cli_path().string() +
                      " cluster " + cluster +
                      " node.pa) && COMP_CWORD=3 && _atomix_test && "
                      "printf '%s\\n' \"${COMPREPLY[@]}\" && complete -p atomix-test"}});
    std::filesystem::remove(file);
    EXPECT_EQ(shell.exit_code, 0) << shell.err;
    EXPECT_EQ(all_lines_of(shell.out).front(), "node.pause") << shell.out;
    EXPECT_NE(shell.out.find("complete -o default -F _atomix_test atomix-test"), std::string::npos)
        << shell.out;
    EXPECT_EQ(cli({"cluster", cluster, "teardown"}).exit_code, 0);

    auto refused = cli({"completion", "fish"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("fish"), std::string::npos) << refused.err;
}

TEST(ManPage, NamesEveryCommandAndVerbAndRendersWithoutWarnings) {
    auto page = cli({"man"});
    ASSERT_EQ(page.exit_code, 0) << page.err;
    EXPECT_EQ(page.out.rfind(".TH ATOMIX\\-TEST 1", 0), 0u);
    for (const char* text :
         {"cluster list | NAME COMMAND", "entropy [OPTIONS] FUNCTION", "gc [\\-\\-dry\\-run]",
          "\\fBnode.pause\\fR", "\\fBnet.rate\\fR", "\\fBclock.strobe\\fR",
          "\\fB\\-\\-all\\-keys\\fR", "EXIT STATUS", "\\fB130\\fR"}) {
        EXPECT_NE(page.out.find(text), std::string::npos) << text;
    }
    // groff reads it as a man page, with every warning on.
    auto file = std::filesystem::temp_directory_path() / (unique_cluster("man") + ".1");
    std::ofstream(file) << page.out;
    auto rendered =
        run_process({.argv = {"groff", "-man", "-Tutf8", "-P-cbou", "-ww", file.string()}});
    std::filesystem::remove(file);
    EXPECT_EQ(rendered.exit_code, 0);
    EXPECT_EQ(rendered.err, "") << "groff's warnings";
    EXPECT_NE(rendered.out.find("FAULT AND NODE VERBS"), std::string::npos);
}

}  // namespace
}  // namespace atomixtest::testing
