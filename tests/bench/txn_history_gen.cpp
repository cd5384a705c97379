// txn-history-gen: writes a generated history of transactions (see
// support/txn_history_generator.hpp) for scripts/bench. Usage:
//   txn-history-gen --model list-append|rw-register --txns N [--processes P]
//                   [--keys K] [--txn-keys K] [--max-txn-length L]
//                   [--max-writes-per-key W] [--seed S] [--fault missing|swapped|
//                   duplicated|garbage] [--format jsonl|edn]
#include <iostream>
#include <string>

#include "atomixtest/error.hpp"
#include "txn_history_generator.hpp"

int main(int argc, char** argv) {
    using namespace atomixtest;
    testing::TxnHistoryOptions options;
    auto format = HistoryFormat::Jsonl;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string arg = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc) throw bad_input(arg + " needs a value");
                return argv[++i];
            };
            if (arg == "--model") {
                auto model = value();
                if (model != "list-append" && model != "rw-register") {
                    throw bad_input("--model: list-append or rw-register");
                }
                options.shape.model =
                    model == "list-append" ? txn::TxnModel::ListAppend : txn::TxnModel::RwRegister;
            } else if (arg == "--txns") {
                options.transactions = std::stoull(value());
            } else if (arg == "--processes") {
                options.processes = std::stoi(value());
            } else if (arg == "--keys") {
                options.shape.key_count = std::stoi(value());
            } else if (arg == "--txn-keys") {
                options.shape.txn_keys = std::stoi(value());
            } else if (arg == "--max-txn-length") {
                options.shape.max_txn_length = std::stoi(value());
            } else if (arg == "--max-writes-per-key") {
                options.shape.max_writes_per_key = std::stoi(value());
            } else if (arg == "--seed") {
                options.seed = std::stoull(value());
            } else if (arg == "--fault") {
                auto fault = value();
                options.fault = fault == "missing"      ? testing::TxnFault::MissingElement
                                : fault == "swapped"    ? testing::TxnFault::SwappedElements
                                : fault == "duplicated" ? testing::TxnFault::DuplicatedElement
                                : fault == "garbage"    ? testing::TxnFault::GarbageElement
                                                        : throw bad_input("unknown fault " + fault);
            } else if (arg == "--format") {
                format = history_format_named(value());
            } else {
                throw bad_input("unknown option " + arg);
            }
        }
    } catch (const std::exception& error) {
        std::cerr << "txn-history-gen: " << error.what() << "\n";
        return 2;
    }
    std::ios::sync_with_stdio(false);
    auto write = [&](const HistoryEvent& event) {
        std::cout << (format == HistoryFormat::Edn ? to_edn(event) : to_jsonl(event)) << '\n';
    };
    if (options.fault == testing::TxnFault::None) {
        // Streamed: a million transactions without holding them.
        testing::stream_txn_history(options, [&](HistoryEvent&& event) { write(event); });
        return 0;
    }
    for (const auto& event : testing::generate_txn_history(options)) write(event);
    return 0;
}
