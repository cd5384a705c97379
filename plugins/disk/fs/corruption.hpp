// disk.corrupt: a file of a stopped node's data damaged as a failing disk or
// a torn write would leave it (Jepsen's file nemesis): bits flipped, a part
// zeroed, or the file cut short. Which file and where come from the seed, and
// the answer says both, so a run can be replayed and its damage read.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest::disk {

struct Corruption {
    std::string path = "*";        // glob over paths inside the data dir
    std::string mode = "bitflip";  // bitflip | zero | truncate
    int64_t bytes = 1;
    std::optional<int64_t> offset;  // absent: drawn
    uint64_t seed = 0;

    static Corruption from_json(const nlohmann::json& json);
};

// The regular files under `lower` whose relative path matches the glob, sorted.
std::vector<std::string> files_matching(int lower, const std::string& glob);

// Damages one file; returns {file, mode, offset, bytes, size, new_size}.
// Throws Error(BadInput) when no non-empty file matches, or the offset lies
// past the file's end.
nlohmann::json corrupt(int lower, const Corruption& corruption);

}  // namespace atomixtest::disk
