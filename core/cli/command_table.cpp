#include "cli/command_table.hpp"

#include <algorithm>
#include <sstream>

namespace atomixtest::cli {

namespace {

// Words of `text` in lines of at most `width`, each after `indent` spaces
// but the first.
std::string wrap(const std::string& text, size_t indent, size_t width) {
    std::istringstream words(text);
    std::string word, out, line;
    while (words >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n" + std::string(indent, ' ');
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    return out + line;
}

}  // namespace

const std::vector<CommandEntry>& commands() {
    static const std::vector<CommandEntry> table = {
        {"cluster", "cluster list | NAME COMMAND ...",
         "list the clusters, or manage one (atomix-test cluster --help)", cluster_command},
        {"run", "run [SCENARIO|DIR...]", "run scenarios (atomix-test run --help)", run_command},
        {"entropy", "entropy [OPTIONS] FUNCTION...",
         "randomized fault runs, checked (atomix-test entropy --help)", entropy_command},
        {"check", "check HISTORY --model M",
         "check a history for linearizability (exit 0 yes, 1 no, 3 undecided; atomix-test check "
         "--help)",
         check_command},
        {"report", "report RESULTS_DIR",
         "write RESULTS_DIR/report.html (atomix-test report --help)", report_command},
        {"plugins", "plugins [--json]", "the plugins found, their verbs and parameters",
         plugins_command},
        {"gc", "gc [--dry-run]",
         "remove what crashed runs left (clusters whose owner exited, namespaces, processes, "
         "cgroups, state)",
         gc_command},
        {"completion", "completion bash|zsh",
         "print the shell completion script (commands, options, verbs, profiles, clusters)",
         completion_command},
        {"man", "man", "print the manual page (roff): man <(atomix-test man)", man_command},
        {"__complete", "__complete INDEX WORD...", "the completion scripts' helper",
         complete_command, true},
    };
    return table;
}

const CommandEntry* find_command(const std::string& name) {
    const auto& table = commands();
    auto found = std::find_if(table.begin(), table.end(),
                              [&](const CommandEntry& entry) { return name == entry.name; });
    return found == table.end() ? nullptr : &*found;
}

const std::vector<ExitCode>& exit_codes() {
    static const std::vector<ExitCode> codes = {
        {0, "ok"},
        {1, "a test or assertion failed (a history not linearizable, a scenario's expectation)"},
        {2, "bad input, usage or a set-up problem"},
        {3, "check: undecided (a timeout or the memory limit)"},
        {130, "interrupted (Ctrl-C, SIGTERM or SIGHUP); what was started is cleaned up first"},
    };
    return codes;
}

std::string usage_text() {
    constexpr size_t kColumn = 36, kWidth = 92;
    std::string text =
        "atomix-test: fault injection for clustered systems (etcd, Atomix 3)\n\n"
        "usage: atomix-test [--profiles DIR]... [--kubeconfig FILE] [--context NAME] "
        "[--node-agent] [--registry HOST:PORT [--registry-ca FILE] [--registry-auth FILE]] "
        "COMMAND [ARGS...]\n\n"
        "commands:\n";
    for (const auto& entry : commands()) {
        if (entry.hidden) continue;
        std::string synopsis = entry.synopsis;
        std::string line = "  " + synopsis;
        line += line.size() < kColumn ? std::string(kColumn - line.size(), ' ')
                                      : "\n" + std::string(kColumn, ' ');
        text += line + wrap(entry.summary, kColumn, kWidth - kColumn) + "\n";
    }
    text += "\n--profiles DIR: " + wrap(kProfilesOptionHelp, 16, kWidth - 16) + "\n";
    text += "--kubeconfig FILE, --context NAME: " +
            wrap(
                "the Kubernetes of the kubernetes backend (else KUBECONFIG, ~/.kube/config "
                "and its current context)",
                35, kWidth - 35) +
            "\n--node-agent: " +
            wrap(
                "the kubernetes backend's faults go through its node agent (a privileged "
                "DaemonSet), as on a cluster whose nodes are other machines",
                14, kWidth - 14) +
            "\n--registry HOST:PORT: " +
            wrap(
                "the kubernetes backend pushes its images there (https; http://HOST:PORT for "
                "plain HTTP) and the nodes pull them, for a cluster it cannot import images "
                "into",
                21, kWidth - 21) +
            "\n--registry-ca FILE: " +
            wrap("the registry's CA (PEM), when the system's CAs do not vouch for it", 20,
                 kWidth - 20) +
            "\n--registry-auth FILE: " +
            wrap(
                "a Docker config (as docker login writes it) with the registry's user and "
                "password; the pods pull with them too (a Secret of the cluster's namespace)",
                22, kWidth - 22) +
            "\n\nexit codes:";
    for (const auto& code : exit_codes()) {
        text += "\n  " + std::to_string(code.code) +
                std::string(5 - std::to_string(code.code).size(), ' ') +
                wrap(code.meaning, 7, kWidth - 7);
    }
    return text + "\n";
}

}  // namespace atomixtest::cli
