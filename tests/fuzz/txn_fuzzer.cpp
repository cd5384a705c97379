// libFuzzer target: histories of transactions through the readers, the
// transactional collector and checker, and back (see fuzz_entries.hpp;
// scripts/fuzz runs it).
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return atomixtest::fuzz::fuzz_txn_history(data, size);
}
