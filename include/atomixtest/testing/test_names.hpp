// Cluster names for tests: valid cluster names (1-40 characters of a-z, 0-9,
// '_', '.', '-') that differ between the processes running at once.
#pragma once

#include <string>

namespace atomixtest {

// GoogleTest's suite and test names: "IsolationTest", "WriteFails/1" ->
// "isolation-test-write-fails-1-<suffix>". Words of a CamelCase name are
// split, anything outside the alphabet becomes '-', and a name too long is
// cut and given a short hash of the whole, so that two long names stay apart.
std::string cluster_name_for_test(const std::string& suite, const std::string& test,
                                  const std::string& suffix);

// "api-<pid>-<n>": for create_cluster without a name.
std::string generated_cluster_name();

// This process's id, the suffix that keeps concurrent runs' clusters apart.
std::string process_suffix();

}  // namespace atomixtest
