// `atomix-test man`: the manual page, in roff, made from the command table,
// each command's own CLI11 app (outline.hpp) and the plugins' verb
// declarations, so that it says what the installed tool accepts.
#include <iostream>
#include <sstream>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/outline.hpp"
#include "cli/parse.hpp"
#include "session/workspace.hpp"

namespace atomixtest::cli {

namespace {

// Text as roff shows it: backslashes and hyphens escaped, no line taken for
// a request.
std::string roff(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else {
            out += c;
        }
        line_start = c == '\n';
    }
    return out;
}

void write_options(std::ostream& out, const CommandOutline& outline) {
    for (const auto& option : outline.options) {
        std::string names;
        for (const auto& name : option.names) names += (names.empty() ? "" : ", ") + name;
        out << ".TP\n\\fB" << roff(names) << "\\fR";
        if (option.takes_value && !option.positional) out << " \\fIVALUE\\fR";
        out << "\n" << roff(option.help.empty() ? "(no description)" : option.help) << "\n";
    }
}

void write_footer(std::ostream& out, const CommandOutline& outline) {
    if (outline.footer.empty()) return;
    out << ".PP\n.nf\n" << roff(outline.footer) << "\n.fi\n";
}

void write_commands(std::ostream& out) {
    out << ".SH COMMANDS\n";
    for (const auto& entry : commands()) {
        if (entry.hidden) continue;
        out << ".SS \"atomix\\-test " << roff(entry.synopsis) << "\"\n"
            << roff(entry.summary) << ".\n";
        std::string name = entry.name;
        if (name == "cluster") {
            auto cluster = outline_of_command(cluster_command, {"name"});
            for (const auto& sub : cluster.subcommands) {
                out << ".TP\n\\fBcluster \\fINAME\\fB " << roff(sub.name) << "\\fR\n"
                    << roff(sub.description) << "\n";
                if (!sub.options.empty()) {
                    out << ".RS\n";
                    write_options(out, sub);
                    out << ".RE\n";
                }
            }
            out << ".TP\n\\fBcluster \\fINAME\\fB \\fIPLUGIN.VERB\\fR [\\fIN\\fR] "
                   "[\\fB\\-\\-PARAM\\fR \\fIVALUE\\fR ...]\n"
                   "a fault or node verb (see FAULT AND NODE VERBS); \\fBfault\\fR "
                   "\\fIPLUGIN.VERB PARAM=VALUE\\fR ... is the same\n";
            continue;
        }
        auto outline = outline_of_command(entry.run, {});
        write_options(out, outline);
        write_footer(out, outline);
    }
}

void write_verbs(std::ostream& out) {
    out << ".SH FAULT AND NODE VERBS\n"
           "Each is a command (\\fBatomix\\-test cluster \\fINAME VERB\\fR), a scenario step "
           "and an entropy \\fBfault\\fR function. These are the plugins found now "
           "(\\fBatomix\\-test plugins\\fR).\n";
    Workspace workspace;
    for (const auto& [name, entry] : workspace.catalog().verbs) {
        if (entry.owner != VerbOwner::Fault && entry.owner != VerbOwner::Node) continue;
        out << ".TP\n\\fB" << roff(name) << "\\fR\n" << roff(entry.spec.description) << "\n";
        if (entry.spec.params.empty()) continue;
        out << ".RS\n";
        for (const auto& param : entry.spec.params) {
            out << ".TP\n\\fI" << roff(param.name) << "\\fR\n" << roff(param_help(param)) << "\n";
        }
        out << ".RE\n";
    }
}

constexpr const char* kEnvironment[][2] = {
    {"ATOMIX_TEST_STATE_DIR",
     "where local clusters keep their state (default /var/lib/atomix-test)"},
    {"ATOMIX_TEST_PLUGIN_PATH", "colon-separated directories searched first for plugins"},
    {"ATOMIX_TEST_PROFILE_PATH", "the same for profiles (after --profiles DIR)"},
    {"ATOMIX_TEST_SCHEMA_DIR", "the same for scenario.schema.json"},
    {"ATOMIX_TEST_JAVA_PATH", "directories searched first for atomix-test-agent.jar"},
    {"ATOMIX_TEST_CACHE", "the Atomix jar cache (default /var/cache/atomix-test as root)"},
    {"DOCKER_HOST", "the Docker engine (default unix:///var/run/docker.sock)"},
    {"ATOMIX_TEST_KUBECONFIG",
     "the kubeconfig of the kubernetes backend (--kubeconfig; else KUBECONFIG)"},
    {"ATOMIX_TEST_KUBE_CONTEXT", "its context (--context; else the current one)"},
    {"ATOMIX_TEST_KUBE_NODE_AGENT", "1: faults through the node agent (--node-agent)"},
    {"ATOMIX_TEST_KUBE_REGISTRY",
     "[http://]HOST:PORT: the kubernetes backend's images pushed there and pulled by the "
     "nodes (--registry)"},
    {"ATOMIX_TEST_KUBE_REGISTRY_CA", "the registry's CA, a PEM file (--registry-ca)"},
    {"ATOMIX_TEST_KUBE_REGISTRY_AUTH",
     "a Docker config with the registry's credentials (--registry-auth)"},
    {"NO_COLOR", "when set, no colours even on a terminal"},
};

}  // namespace

int man_command(const Args& args) {
    CLI::App app("Print the manual page (roff): man <(atomix-test man)", "atomix-test man");
    if (auto code = parse_args(app, args)) return *code;
    std::ostringstream out;
    out << ".TH ATOMIX\\-TEST 1 \"\" \"atomix-test " << ATOMIXTEST_VERSION
        << "\" \"User Commands\"\n"
           ".SH NAME\natomix\\-test \\- fault injection and chaos testing for clustered "
           "systems (etcd, Atomix 3)\n"
           ".SH SYNOPSIS\n.B atomix\\-test\n[\\fB\\-\\-profiles\\fR \\fIDIR\\fR]... "
           "\\fICOMMAND\\fR [\\fIARGS\\fR...]\n"
           ".SH DESCRIPTION\nSets up real clusters (local processes in network namespaces, "
           "Docker containers), crashes and pauses nodes, partitions, delays and throttles "
           "the network, skews clocks and stresses machines, and checks that the system kept "
           "its promises: from the command line, from YAML scenarios, from C++ tests and in "
           "randomized entropy runs whose histories are checked for linearizability.\n"
           ".TP\n\\fB\\-\\-profiles\\fR \\fIDIR\\fR\n"
        << roff(kProfilesOptionHelp) << "\n";
    write_commands(out);
    write_verbs(out);
    out << ".SH EXIT STATUS\n";
    for (const auto& code : exit_codes()) {
        out << ".TP\n\\fB" << code.code << "\\fR\n" << roff(code.meaning) << "\n";
    }
    out << ".SH ENVIRONMENT\n";
    for (const auto& [name, meaning] : kEnvironment) {
        out << ".TP\n\\fB" << roff(name) << "\\fR\n" << roff(meaning) << "\n";
    }
    out << ".SH SEE ALSO\n\\fBatomix\\-test plugins \\-\\-markdown\\fR, the README of the "
           "project, and \\fBatomix\\-test completion bash\\fR.\n";
    std::cout << out.str();
    return 0;
}

}  // namespace atomixtest::cli
