// The fuzzers' seed corpora and every input that once crashed one of them
// (tests/fuzz/regressions/), replayed through the fuzzers' own entry points:
// a fixed crash that comes back fails here, in every lane, sanitizers included.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "build_paths.hpp"
#include "fuzz_entries.hpp"

namespace atomixtest {
namespace {

namespace fs = std::filesystem;

using Entry = int (*)(const uint8_t*, size_t);

std::string contents_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every file of the target's corpus and regressions; returns how many.
size_t replay(const std::string& target, Entry entry) {
    size_t replayed = 0;
    for (const char* kind : {"corpus", "regressions"}) {
        auto dir = testing::source_dir() / "tests/fuzz" / kind / target;
        if (!fs::is_directory(dir)) continue;
        for (const auto& file : fs::directory_iterator(dir)) {
            auto bytes = contents_of(file.path());
            EXPECT_NO_THROW(entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()))
                << file.path();
            ++replayed;
        }
    }
    return replayed;
}

TEST(FuzzCorpus, ScenarioInputsLoadOrAreRefused) {
    EXPECT_GT(replay("scenario", fuzz::fuzz_scenario), 0u);
}

TEST(FuzzCorpus, EdnInputsReadOrAreRefused) {
    EXPECT_GT(replay("edn", fuzz::fuzz_edn_history), 0u);
}

TEST(FuzzCorpus, JsonlInputsReadOrAreRefused) {
    EXPECT_GT(replay("jsonl", fuzz::fuzz_jsonl_history), 0u);
}

TEST(FuzzCorpus, TxnInputsCheckOrAreRefused) {
    EXPECT_GT(replay("txn", fuzz::fuzz_txn_history), 0u);
}

}  // namespace
}  // namespace atomixtest
