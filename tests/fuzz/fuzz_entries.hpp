// The fuzzed entry points, shared by the libFuzzer targets (scenario_fuzzer,
// edn_fuzzer, jsonl_fuzzer) and by the unit test that replays their corpora
// and regression inputs, so that a fixed crash stays fixed in every lane.
//
// Each takes arbitrary bytes and returns 0. Refusing the input with
// Error(BadInput) is the expected outcome for most inputs and is swallowed;
// any other exception escapes (libFuzzer reports it as a crash, GoogleTest as
// a failure), and a crash, a leak or undefined behaviour is caught by the
// sanitizers of the build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace atomixtest::fuzz {

// YAML text through the scenario loader: YAML parsing, the schema, the verb
// catalog of the build's plugins, durations and the entropy block.
int fuzz_scenario(const uint8_t* data, size_t size);
// Builds that catalog now (fuzz_scenario otherwise does on its first call),
// so that loading the plugins is not timed as part of one input.
void load_scenario_catalog();

// A history in Jepsen's EDN; an accepted one is written back in EDN and in
// JSON Lines, and each must be read again to the same number of events.
int fuzz_edn_history(const uint8_t* data, size_t size);

// The same for a history in JSON Lines.
int fuzz_jsonl_history(const uint8_t* data, size_t size);

// A history of transactions (EDN or JSON Lines) through the transactional
// checker for list-append and rw-register, then both writers and the
// collector again.
int fuzz_txn_history(const uint8_t* data, size_t size);

}  // namespace atomixtest::fuzz
