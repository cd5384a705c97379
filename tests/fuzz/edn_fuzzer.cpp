// libFuzzer target: EDN histories through the reader and back (see fuzz_entries.hpp; scripts/fuzz
// runs it).
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return atomixtest::fuzz::fuzz_edn_history(data, size);
}
