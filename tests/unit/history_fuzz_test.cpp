// Thousands of mutated and truncated histories through the readers and the
// checker: every one is either accepted or refused with Error(BadInput);
// nothing crashes and nothing else is thrown. (tests/fuzz/ has the same as a
// libFuzzer entry point for longer runs.)
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"
#include "history_generator.hpp"
#include "text_mutation.hpp"

namespace atomixtest {
namespace {

// Returns whether the text was accepted; fails the test on anything but BadInput.
bool survives(const std::string& text, HistoryFormat format, Model model) {
    try {
        History history;
        if (format == HistoryFormat::Edn) {
            history = read_history_edn(text, "fuzz.edn");
        } else {
            std::stringstream in(text);
            history = read_history_jsonl(in, "fuzz.jsonl");
        }
        CheckOptions options{model};
        options.timeout = std::chrono::seconds(5);
        auto result = check_history(history, options);
        format_check_result(result);
        to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        return true;
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput) << error.what() << "\n" << text;
    } catch (const std::exception& error) {
        ADD_FAILURE() << "not an Error: " << error.what() << "\n" << text;
    }
    return false;
}

TEST(HistoryFuzz, MutatedHistoriesAreAcceptedOrBadInput) {
    std::mt19937_64 random(20240607);
    for (auto model : {Model::CasRegister, Model::Kv}) {
        testing::GeneratorOptions options{model, 30, 2, 3, 5, 0.2, false};
        auto history = testing::generate_history(options);
        std::stringstream jsonl, edn;
        write_history_jsonl(jsonl, history);
        write_history_edn(edn, history);
        int accepted = 0;
        for (int i = 0; i < 3000; ++i) {
            accepted += survives(testing::mutate(jsonl.str(), random), HistoryFormat::Jsonl, model);
            accepted += survives(testing::mutate(edn.str(), random), HistoryFormat::Edn, model);
        }
        EXPECT_GT(accepted, 0) << "some mutations keep the history valid";
    }
    for (auto model : {Model::Register, Model::Counter, Model::Set}) {
        // Any model on another model's history: refused per operation, never a crash.
        testing::GeneratorOptions options{Model::Kv, 30, 2, 3, 5, 0.2, false};
        std::stringstream jsonl;
        write_history_jsonl(jsonl, testing::generate_history(options));
        survives(jsonl.str(), HistoryFormat::Jsonl, model);
        for (int i = 0; i < 200; ++i)
            survives(testing::mutate(jsonl.str(), random), HistoryFormat::Jsonl, model);
    }
}

}  // namespace
}  // namespace atomixtest
