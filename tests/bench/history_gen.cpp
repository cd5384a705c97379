// history-gen: writes a generated history (see support/history_generator.hpp)
// for scripts/bench. Usage:
//   history-gen --model kv|cas-register|register --ops N [--keys K] [--processes P]
//               [--seed S] [--info-rate R] [--corrupt] [--corrupt-keys N]
//               [--slow-rate R] [--append-heavy] [--format jsonl|edn]
#include <cstring>
#include <iostream>
#include <string>

#include "atomixtest/error.hpp"
#include "history_generator.hpp"

int main(int argc, char** argv) {
    using namespace atomixtest;
    testing::GeneratorOptions options;
    auto format = HistoryFormat::Jsonl;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string arg = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc) throw bad_input(arg + " needs a value");
                return argv[++i];
            };
            if (arg == "--model") {
                options.model = model_named(value());
            } else if (arg == "--ops") {
                options.operations = std::stoull(value());
            } else if (arg == "--keys") {
                options.keys = std::stoull(value());
            } else if (arg == "--processes") {
                options.processes = std::stoi(value());
            } else if (arg == "--seed") {
                options.seed = std::stoull(value());
            } else if (arg == "--info-rate") {
                options.info_rate = std::stod(value());
            } else if (arg == "--corrupt") {
                options.corrupt = true;
            } else if (arg == "--corrupt-keys") {
                options.corrupt_keys = std::stoull(value());
            } else if (arg == "--append-heavy") {
                options.append_heavy = true;
            } else if (arg == "--slow-rate") {
                options.slow_rate = std::stod(value());
            } else if (arg == "--format") {
                format = history_format_named(value());
            } else {
                throw bad_input("unknown option " + arg);
            }
        }
    } catch (const std::exception& error) {
        std::cerr << "history-gen: " << error.what() << "\n";
        return 2;
    }
    std::ios::sync_with_stdio(false);
    for (const auto& event : testing::generate_history(options)) {
        std::cout << (format == HistoryFormat::Edn ? to_edn(event) : to_jsonl(event)) << '\n';
    }
    return 0;
}
