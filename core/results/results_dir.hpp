// Where a run leaves its record: the directory asked for, or
// ./results/<UTC timestamp>-<label>/ with ./results/latest pointing at it.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace atomixtest {

std::filesystem::path make_results_dir(const std::filesystem::path& requested,
                                       const std::string& label);

// Writes pretty JSON; throws Error(Environment) naming the file on failure.
void write_json_file(const std::filesystem::path& file, const nlohmann::json& json);

}  // namespace atomixtest
