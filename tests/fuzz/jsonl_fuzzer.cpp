// libFuzzer target: JSON Lines histories through the reader and back (see fuzz_entries.hpp;
// scripts/fuzz runs it).
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return atomixtest::fuzz::fuzz_jsonl_history(data, size);
}
