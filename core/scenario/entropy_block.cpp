#include "scenario/entropy_block.hpp"

#include "atomixtest/error.hpp"

namespace atomixtest {

namespace {

// A range is one duration, a list of one or two, or `true` (the default).
void add_range(std::vector<std::string>& words, const nlohmann::json& range) {
    if (range.is_string()) words.push_back(range.get<std::string>());
    if (range.is_array()) {
        for (const auto& bound : range) words.push_back(bound.get<std::string>());
    }
}

// A param's value as the command line writes it: a list of ids as "1,3";
// nested lists (groups of nodes) as JSON, which the CLI reads too.
std::string word_of(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (!value.is_array()) return value.dump();
    for (const auto& item : value) {
        if (item.is_structured()) return value.dump();
    }
    std::string text;
    for (const auto& item : value) text += (text.empty() ? "" : ",") + word_of(item);
    return text;
}

// fault: {verb, params, every, period} -> fault VERB EVERY --param value --period P
std::vector<std::string> fault_words(const nlohmann::json& options) {
    std::vector<std::string> words = {"fault", options.at("verb").get<std::string>()};
    if (options.contains("every")) add_range(words, options["every"]);
    // Held here: a range-for over items() of the temporary value() returns
    // would walk a destroyed object.
    const auto params = options.value("params", nlohmann::json::object());
    for (const auto& [param, value] : params.items()) {
        words.push_back("--" + param);
        words.push_back(word_of(value));
    }
    if (options.contains("period")) {
        words.push_back("--period");
        add_range(words, options["period"]);
    }
    return words;
}

}  // namespace

std::vector<std::string> entropy_function_words(const nlohmann::json& function) {
    auto first = function.begin();
    const std::string& name = first.key();
    const nlohmann::json& options = first.value();
    if (name == "fault") return fault_words(options);
    std::vector<std::string> words = {name};
    if (options.is_object() && options.contains("every")) add_range(words, options["every"]);
    if (!options.is_object()) return words;
    for (const auto& [option, value] : options.items()) {
        if (option == "every") continue;
        if (option == "target") {
            words.push_back("--" + value.get<std::string>());
            continue;
        }
        if (value.is_boolean() && !value.get<bool>()) continue;
        words.push_back("--" + option);
        if (value.is_number_integer()) {
            words.push_back(std::to_string(value.get<int64_t>()));
        } else if (value.is_number()) {
            words.push_back(value.dump());  // clock's rate: 1.5
        } else {
            add_range(words, value);
        }
    }
    return words;
}

EntropyOptions entropy_options_of(const nlohmann::json& block) {
    EntropyOptions options;
    std::vector<std::string> words;
    for (const auto& function : block.at("functions")) {
        auto more = entropy_function_words(function);
        words.insert(words.end(), more.begin(), more.end());
    }
    options.functions = parse_entropy_functions(words);
    if (block.contains("run-time")) {
        options.run_time = parse_duration(block["run-time"].get<std::string>());
    }
    if (block.contains("check-timeout")) {
        options.check_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(block["check-timeout"].get<std::string>()));
    }
    const auto workload = block.value("workload", nlohmann::json::object());
    options.workload.parallelism = workload.value("parallelism", options.workload.parallelism);
    options.workload.scale = workload.value("scale", options.workload.scale);
    options.workload.ops = workload.value("ops", options.workload.ops);
    options.workload.key_operations = workload.value("key-ops", options.workload.key_operations);
    options.workload.key_concurrency =
        workload.value("key-concurrency", options.workload.key_concurrency);
    options.prime = workload.value("prime", options.prime);
    if (workload.contains("op-timeout")) {
        options.workload.op_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(workload["op-timeout"].get<std::string>()));
    }
    return options;
}

}  // namespace atomixtest
