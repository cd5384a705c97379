// `atomix-test plugins [--json]`: every plugin on the plugin path, its verbs
// and their parameters, as the scenario validator knows them. A file that does
// not load is named with the reason on stderr (and under "failed" in JSON)
// without hiding the plugins that do.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "scenario/scenario.hpp"
#include "session/plugin_catalog.hpp"
#include "session/verb_documents.hpp"

namespace atomixtest::cli {

namespace {

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
    return out;
}

// A param's accepted values in a word or two: integer, duration, "a"|"b".
std::string type_summary(const Param& param) {
    if (param.type == ParamType::Choice) {
        std::vector<std::string> quoted;
        for (const auto& choice : param.choices) quoted.push_back("\"" + choice + "\"");
        return join(quoted, "|");
    }
    std::string text = to_string(param.type);
    if (param.nullable) text += "|null";
    return text;
}

void print_verb(std::ostream& out, const VerbSpec& verb) {
    out << "  " << std::left << std::setw(20) << verb.name << " " << verb.description
        << (verb.scoped ? " [scoped: takes during:]" : "") << "\n";
    for (const auto& param : verb.params) {
        auto type = type_summary(param) + (param.required ? ", required" : "");
        out << "      " << std::setw(14) << param.name << " " << std::setw(24) << type << " "
            << param_help(param) << "\n";
    }
    if (!verb.rules_help.empty()) out << "      (" << verb.rules_help << ")\n";
}

void print_catalog(std::ostream& out, const PluginCatalog& catalog) {
    for (const auto& plugin : catalog.plugins) {
        out << to_string(plugin.listing.kind) << " " << plugin.listing.name << ": "
            << plugin.listing.description << "\n  file: " << plugin.listing.file.string() << "\n";
        for (const auto& verb : plugin.verbs) print_verb(out, verb);
        out << "\n";
    }
    out << "engine (every scenario, whatever its plugins)\n";
    for (const auto& verb : catalog.engine) print_verb(out, verb);
}

}  // namespace

int plugins_command(const Args& args) {
    CLI::App app("List the plugins on the plugin path, their verbs and parameters",
                 "atomix-test plugins");
    bool json = false, schema = false, markdown = false;
    app.add_flag("--json", json, "one JSON document: plugins, engine verbs, failed files");
    app.add_flag("--schema", schema,
                 "the scenario schema with every verb's params (schemas/scenario.schema.json, "
                 "for editors)");
    app.add_flag("--markdown", markdown, "the table of every step and its params (the README's)");
    app.footer(
        "The plugin path: $ATOMIX_TEST_PLUGIN_PATH (colon-separated), then plugins/ beside\n"
        "the executable, then lib/atomix-test/plugins under its prefix. Files that fail to\n"
        "load are named on stderr; the exit code is 0 when at least one plugin loaded.");
    if (auto code = parse_args(app, args)) return *code;

    Workspace workspace;
    if (schema) {
        std::cout << scenario_schema_with_verbs(load_scenario_schema(), workspace.catalog())
                         .dump(2, ' ', false)
                  << "\n";
        return 0;
    }
    if (markdown) {
        std::cout << verbs_markdown(workspace.catalog());
        return 0;
    }
    auto catalog = describe_plugins(workspace);
    if (json) {
        std::cout << to_json(catalog).dump(2) << "\n";
    } else {
        print_catalog(std::cout, catalog);
    }
    for (const auto& failure : catalog.failed) {
        // The host's reasons name the file already; a plugin's own may not.
        bool named = failure.reason.find(failure.file.string()) != std::string::npos;
        std::cerr << "warning: not loaded: " << failure.reason
                  << (named ? "" : " (" + failure.file.string() + ")") << "\n";
    }
    if (catalog.plugins.empty()) {
        std::string where;
        for (const auto& dir : workspace.plugins().search_path()) {
            where += (where.empty() ? "" : ":") + dir.string();
        }
        std::cerr << "error: no plugin loaded from " << where << "\n";
        return 2;
    }
    return 0;
}

}  // namespace atomixtest::cli
