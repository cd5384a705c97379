// `atomix-test check HISTORY --model M`: exit 0 linearizable, 1 not, 2 bad
// input, 3 undecided (the timeout or the memory limit came first).
#include <CLI/CLI.hpp>
#include <iostream>

#include "atomixtest/check.hpp"
#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "cli/txn_check_command.hpp"

namespace atomixtest::cli {

int check_command(const Args& args) {
    if (names_txn_model(args)) return txn_check_command(args);
    CLI::App app("Check that a history of operations is linearizable for a model",
                 "atomix-test check");
    std::string file, model, initial, format, timeout = "60s", memory_limit;
    bool json = false;
    unsigned threads = 0;
    app.add_option("HISTORY", file, "the history: JSON Lines (native) or Jepsen EDN")->required();
    app.add_option("--model", model,
                   "register, cas-register, kv, counter or set (transactions: list-append or "
                   "rw-register, see --model list-append --help)")
        ->required();
    app.add_option("--initial", initial, "the initial value as JSON (default null: unset)");
    app.add_option("--format", format, "jsonl or edn (default: by extension, .edn is EDN)");
    app.add_option("--timeout", timeout, "give up (exit 3) after this long (default 60s)");
    app.add_option("--threads", threads, "keys checked at once (default: every core)");
    app.add_option("--memory-limit", memory_limit,
                   "what the searches may hold, e.g. 2g; a key that needs more is undecided "
                   "(default: a quarter of the machine's memory)");
    app.add_flag("--json", json, "print the verdict, the keys and the failing windows as JSON");
    app.footer(
        "exit codes: 0 linearizable, 1 not linearizable, 2 bad input, 3 undecided (timeout or "
        "memory limit)");
    if (auto code = parse_args(app, args)) return *code;

    CheckOptions options;
    options.model = model_named(model);
    if (!initial.empty()) {
        options.initial = nlohmann::json::parse(initial, nullptr, false);
        if (options.initial.is_discarded()) {
            throw bad_input("--initial " + initial + " is not JSON (a string is \"quoted\")");
        }
    }
    options.timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(parse_duration(timeout, "s"));
    options.threads = threads;
    if (!memory_limit.empty()) {
        auto bytes = parse_size(memory_limit, "--memory-limit");
        if (bytes <= 0) throw bad_input("--memory-limit: above 0, e.g. 512m or 2g");
        options.memory_limit = static_cast<size_t>(bytes);
    }
    auto result = check_history_file(
        file, format.empty() ? history_format_for(file) : history_format_named(format), options);
    if (json) {
        std::cout << to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
    } else {
        std::cout << format_check_result(result);
    }
    switch (result.verdict) {
        case Verdict::Linearizable:
            return 0;
        case Verdict::NotLinearizable:
            return 1;
        case Verdict::Unknown:
            return 3;
    }
    return 2;
}

}  // namespace atomixtest::cli
