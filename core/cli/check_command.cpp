// `atomix-test check HISTORY... --model M`: each file checked in turn in this
// one process (a suite of small histories pays one start, not one each); the
// transactional models (list-append, rw-register) go to txn_check_command.
// Exit 2 if a file is bad input (named; the others are still checked), else
// 1 if one is not linearizable, else 3 if one is undecided, else 0; 130 when
// interrupted.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "atomixtest/check.hpp"
#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "cli/commands.hpp"
#include "cli/parse.hpp"
#include "cli/txn_check_command.hpp"
#include "util/terminal_colour.hpp"

namespace atomixtest::cli {

namespace {

struct FileOutcome {
    std::string file;
    std::optional<CheckResult> result;
    std::string error;  // bad input (or unreadable), when there is no result
    int exit_code = 0;
};

int exit_code_of(const CheckResult& result) {
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

FileOutcome check_one(const std::string& file, const std::string& format,
                      const CheckOptions& options) {
    FileOutcome outcome{file};
    try {
        outcome.result = check_history_file(
            file, format.empty() ? history_format_for(file) : history_format_named(format),
            options);
        outcome.exit_code = exit_code_of(*outcome.result);
    } catch (const Error& error) {
        if (interrupt_requested()) throw;
        outcome.error = error.what();
        outcome.exit_code = 2;
    }
    // What this file's check freed goes back to the system before the next
    // one measures what it holds.
    malloc_trim(0);
    return outcome;
}

// 2 for any bad input, else 1 for any not linearizable, else 3, else 0.
int combined_exit(const std::vector<FileOutcome>& outcomes) {
    int code = 0;
    for (const auto& each : outcomes) {
        if (each.exit_code == 2) return 2;
        if (each.exit_code == 1 || (each.exit_code == 3 && code == 0)) code = each.exit_code;
    }
    return code;
}

void print_many(const std::vector<FileOutcome>& outcomes, bool json, double seconds) {
    size_t counts[4] = {0, 0, 0, 0};  // by exit code 0..3
    for (const auto& each : outcomes) ++counts[each.exit_code];
    if (json) {
        auto files = nlohmann::json::array();
        for (const auto& each : outcomes) {
            nlohmann::json entry = {{"file", each.file}, {"exit_code", each.exit_code}};
            if (each.result) {
                entry["result"] = to_json(*each.result);
            } else {
                entry["error"] = each.error;
            }
            files.push_back(entry);
        }
        nlohmann::json out = {{"files", files},
                              {"linearizable", counts[0]},
                              {"not_linearizable", counts[1]},
                              {"bad_input", counts[2]},
                              {"undecided", counts[3]},
                              {"elapsed_s", seconds},
                              {"exit_code", combined_exit(outcomes)}};
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return;
    }
    for (const auto& each : outcomes) {
        if (!each.result) {
            std::cout << each.file << ": bad input: " << each.error << "\n";
            continue;
        }
        auto report = format_check_result(*each.result);
        std::cout << each.file << ": " << report.substr(0, report.find('\n')) << "\n";
    }
    for (const auto& each : outcomes) {  // the explanations, after the list
        if (!each.result || each.exit_code != 1) continue;
        auto report = format_check_result(*each.result);
        std::cout << "\n== " << each.file << "\n" << report.substr(report.find('\n') + 1);
    }
    char elapsed[32];
    snprintf(elapsed, sizeof elapsed, "%.2f s", seconds);
    std::cout << outcomes.size() << " files: " << counts[0] << " linearizable, " << counts[1]
              << " not linearizable, " << counts[3] << " undecided, " << counts[2] << " bad input ("
              << elapsed << ")\n";
}

}  // namespace

int check_command(const Args& args) {
    if (names_txn_model(args)) return txn_check_command(args);
    CLI::App app("Check that histories of operations are linearizable for a model",
                 "atomix-test check");
    std::vector<std::string> files;
    std::string model, initial, format, timeout = "60s", memory_limit;
    bool json = false, all_keys = false;
    unsigned threads = 0;
    app.add_option("HISTORY", files, "histories: JSON Lines (native) or Jepsen EDN")->required();
    app.add_option("--model", model,
                   "register, cas-register, kv, counter or set (transactions: list-append or "
                   "rw-register, see --model list-append --help)")
        ->required();
    app.add_option("--initial", initial, "the initial value as JSON (default null: unset)");
    app.add_option("--format", format, "jsonl or edn (default: by extension, .edn is EDN)");
    app.add_option("--timeout", timeout,
                   "give up (exit 3) after this long, reading included, per file (default 60s)");
    app.add_option("--threads", threads, "keys searched at once (default: every core)");
    app.add_option("--memory-limit", memory_limit, kMemoryLimitHelp);
    app.add_flag("--all-keys", all_keys, kAllKeysHelp);
    app.add_flag("--json", json, "print the verdict, the keys and the failing windows as JSON");
    app.footer(
        "exit codes: 0 linearizable, 1 not linearizable, 2 bad input (the file is named), 3 "
        "undecided (timeout or memory limit), 130 interrupted; with several files, 2 if any is "
        "bad input, else 1 if any is not linearizable, else 3 if any is undecided");
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
    options.all_keys = all_keys;
    options.memory_limit = parse_memory_limit(memory_limit);
    if (!format.empty()) history_format_named(format);  // refused before any file is read
    // Large blocks straight from the system and back to it when freed, so
    // that what the checker gives up is no longer resident.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);

    if (files.size() == 1) {
        auto outcome = check_one(files[0], format, options);
        if (!outcome.result) throw bad_input(outcome.error);
        if (json) {
            std::cout << to_json(*outcome.result)
                             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                      << "\n";
        } else {
            // The verdict, the first words of the first line, coloured on a terminal.
            auto text = format_check_result(*outcome.result);
            auto verdict_end = text.find(':');
            auto verdict = text.substr(0, verdict_end);
            auto colour = verdict == "linearizable"       ? Colour::Green
                          : verdict == "not linearizable" ? Colour::Red
                                                          : Colour::Yellow;
            if (verdict_end == std::string::npos) verdict_end = 0;
            std::cout << painted(text.substr(0, verdict_end), colour, colour_wanted(1))
                      << text.substr(verdict_end);
        }
        return interrupt_requested() ? kInterruptedExit : outcome.exit_code;
    }
    auto started = std::chrono::steady_clock::now();
    std::vector<FileOutcome> outcomes;
    for (const auto& file : files) {
        if (interrupt_requested()) break;
        outcomes.push_back(check_one(file, format, options));
    }
    print_many(outcomes, json,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return interrupt_requested() ? kInterruptedExit : combined_exit(outcomes);
}

}  // namespace atomixtest::cli
