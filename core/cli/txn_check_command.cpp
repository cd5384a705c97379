#include "cli/txn_check_command.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "atomixtest/error.hpp"
#include "cli/parse.hpp"
#include "report/txn_anomaly_report.hpp"
#include "txn/txn_check.hpp"
#include "txn/txn_report.hpp"

namespace atomixtest::cli {

namespace {

constexpr const char* kTxnModels[] = {"list-append", "rw-register"};

txn::TxnModel txn_model_named(const std::string& name) {
    return name == "rw-register" ? txn::TxnModel::RwRegister : txn::TxnModel::ListAppend;
}

}  // namespace

bool names_txn_model(const Args& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        for (const char* model : kTxnModels) {
            if (args[i] == std::string("--model=") + model) return true;
            if (args[i] == "--model" && i + 1 < args.size() && args[i + 1] == model) return true;
        }
    }
    return false;
}

int txn_check_command(const Args& args) {
    CLI::App app(
        "Check a history of transactions for Adya's anomalies, as Elle does: dependencies "
        "inferred from the reads (list-append: every list read reveals the order of appends; "
        "rw-register: written values are unique and writes follow reads), cycles in the "
        "dependency graph, and a verdict for a consistency model",
        "atomix-test check");
    std::string file, model, format, directory,
        consistency = txn::to_string(txn::ConsistencyModel::StrictSerializable);
    bool json = false;
    size_t examples = 8;
    app.add_option("HISTORY", file,
                   "the history: JSON Lines (native) or Jepsen EDN; each value a transaction "
                   "[[\"append\",\"x\",1],[\"r\",\"y\",null]]")
        ->required();
    app.add_option("--model", model, "list-append or rw-register")
        ->required()
        ->check(CLI::IsMember({"list-append", "rw-register"}));
    app.add_option("--consistency", consistency,
                   "the model whose forbidden anomalies fail the check: " +
                       txn::consistency_model_names() + " (default strict-serializable)");
    app.add_option("--format", format, "jsonl or edn (default: by extension, .edn is EDN)");
    app.add_flag("--json", json, "print the verdict and the anomalies as JSON");
    app.add_option("--directory", directory,
                   "write the explanations, an SVG of each cycle and report.html (the cycles "
                   "marked on the timeline) into this directory");
    app.add_option("--examples", examples, "anomalies explained per class (default 8)");
    app.footer(
        "exit codes: 0 valid, 1 anomalies the consistency model forbids, 2 bad input, "
        "3 undecided");
    if (auto code = parse_args(app, args)) return *code;

    txn::TxnCheckOptions options;
    options.model = txn_model_named(model);
    options.consistency = txn::consistency_model_named(consistency);
    options.examples = examples;
    auto result = txn::check_txn_file(
        file, format.empty() ? history_format_for(file) : history_format_named(format), options);
    if (!directory.empty()) write_txn_anomaly_report(result, directory);
    if (json) {
        std::cout << txn::to_json(result).dump(2, ' ', false,
                                               nlohmann::json::error_handler_t::replace)
                  << "\n";
    } else {
        std::cout << txn::format_txn_result(result);
        if (!directory.empty()) std::cout << "report " << directory << "/report.html\n";
    }
    switch (result.verdict) {
        case txn::TxnVerdict::Valid:
            return 0;
        case txn::TxnVerdict::Invalid:
            return 1;
        case txn::TxnVerdict::Unknown:
            return 3;
    }
    return 2;
}

}  // namespace atomixtest::cli
