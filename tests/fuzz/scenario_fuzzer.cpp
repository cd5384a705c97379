// libFuzzer target: YAML scenarios through the loader (see fuzz_entries.hpp;
// scripts/fuzz runs it).
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    atomixtest::fuzz::load_scenario_catalog();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return atomixtest::fuzz::fuzz_scenario(data, size);
}
