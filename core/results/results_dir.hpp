// Where a run leaves its record: the directory asked for, or
// ./results/<UTC timestamp>-<label>/ with ./results/latest pointing at it.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "atomixtest/backend.hpp"

namespace atomixtest {

// Directories are 0755 whatever the umask; a default one is made atomically,
// so two runs never share it. Either way it is shown writable before it is
// returned: a run checks its record's place before it makes any cluster.
std::filesystem::path make_results_dir(const std::filesystem::path& requested,
                                       const std::string& label);

// Makes dir (0755) if needed and writes a file in it; Error(Environment)
// naming the directory when it cannot.
void ensure_writable_dir(const std::filesystem::path& dir);

// Each node's log as DIR/node-N.log (a failure is a warning: the record is
// still worth having without them).
void save_node_logs(Backend& backend, const std::string& cluster, const std::filesystem::path& dir,
                    std::ostream& warnings);

// Writes pretty JSON; throws Error(Environment) naming the file on failure.
void write_json_file(const std::filesystem::path& file, const nlohmann::json& json);

}  // namespace atomixtest
