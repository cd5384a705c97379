// libFuzzer entry point for the history readers and the checker (clang:
// cmake -DATOMIXTEST_FUZZ=ON, then build/tests/history_fuzzer -max_total_time=60).
// The first byte picks the format and the model; anything but Error(BadInput)
// escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace atomixtest;
    if (size == 0) return 0;
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        History history;
        if (data[0] & 1) {
            history = read_history_edn(text, "fuzz.edn");
        } else {
            std::stringstream in(text);
            history = read_history_jsonl(in, "fuzz.jsonl");
        }
        CheckOptions options{static_cast<Model>((data[0] >> 1) % 5)};
        options.timeout = std::chrono::seconds(1);
        check_history(history, options);
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
