// YAML read into JSON while remembering where every value came from, so that
// any error found later (schema, unknown step, bad value) can name the
// file:line:column the user must fix.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "util/json_pointer.hpp"

namespace atomixtest {

struct SourceMark {
    std::string file;
    int line = 0;    // 1-based
    int column = 0;  // 1-based
};

std::string format_mark(const SourceMark& mark);  // "file:line:column"

struct MarkedDocument {
    nlohmann::json value;
    std::string file;
    std::map<std::string, SourceMark> marks;      // JSON Pointer -> where the value starts
    std::map<std::string, SourceMark> key_marks;  // JSON Pointer -> where its key starts

    // The mark of the value at pointer, or of its nearest ancestor.
    SourceMark mark_of(const std::string& pointer) const;
    // The mark of the key naming the value at pointer (a step's verb), else mark_of.
    SourceMark key_mark_of(const std::string& pointer) const;
};

// Scenarios are other people's data, read by a root process: a file is at
// most 1 MiB, and the document it describes at most 100,000 values, 4 MiB of
// text and 64 levels deep once its aliases are expanded (an alias bomb is
// refused at the alias that goes over, before it is copied), and a value at
// most 4 KiB of text. Each limit is a BadInput naming file:line:column.
constexpr size_t kMaxScenarioBytes = size_t{1} << 20;

// Plain scalars follow YAML 1.2's core schema (3 is an integer, true a boolean,
// null/~/empty null); quoted scalars are always strings.
MarkedDocument parse_marked_yaml(const std::string& text, const std::string& file);
MarkedDocument load_marked_yaml(const std::filesystem::path& file);

// The file's text, refused (BadInput) past kMaxScenarioBytes without reading
// more than that: a huge file or an endless pipe costs nothing.
std::string read_scenario_text(const std::filesystem::path& file);

}  // namespace atomixtest
