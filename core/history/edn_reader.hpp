// A reader for the part of EDN that Jepsen histories use: maps, vectors, lists,
// sets (#{}), keywords, strings with escapes, integers, floats, nil, true,
// false, `;` comments, commas as whitespace and #_ discards. Values come out as
// JSON: keywords as their plain names (:ok is "ok"), lists and sets as arrays,
// map keys as strings. Anything else, or anything malformed, is an
// Error(BadInput) naming source:line:column, and so is a form longer than
// kMaxEventBytes or nested deeper than kMaxValueDepth: the input is read a
// buffer at a time, never whole.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "history/byte_source.hpp"
#include "history/char_stream.hpp"

namespace atomixtest {

struct EdnPosition {
    uint32_t line = 1;
    uint32_t column = 1;
};

class EdnReader {
  public:
    EdnReader(std::string_view text, std::string source);
    EdnReader(ByteSource& input, std::string source);

    // Skips whitespace and comments; true when nothing but them is left.
    bool at_end();
    // The next character after whitespace, or '\0' at the end.
    char peek();
    EdnPosition position() const { return {line_, column_}; }

    // Reads one form. For a map, key_positions (when given) receives where each
    // of its keys starts.
    nlohmann::json read(std::map<std::string, EdnPosition>* key_positions = nullptr);
    // Consumes the expected character (after whitespace) or fails.
    void expect(char c, const char* what);

    [[noreturn]] void fail(EdnPosition at, const std::string& message) const;

  private:
    nlohmann::json read_form(int depth, std::map<std::string, EdnPosition>* key_positions);
    nlohmann::json read_form_at(int depth, std::map<std::string, EdnPosition>* key_positions,
                                EdnPosition start);
    nlohmann::json read_collection(char close, int depth, EdnPosition start);
    nlohmann::json read_map(int depth, EdnPosition start,
                            std::map<std::string, EdnPosition>* key_positions);
    nlohmann::json read_string(EdnPosition start);
    nlohmann::json read_token(EdnPosition start);
    void skip_blank(int depth = 0);
    char next();

    std::unique_ptr<ByteSource> owned_;  // for text given whole
    CharStream in_;
    std::string source_;
    bool in_form_ = false;  // reading a form at the top level
    uint64_t form_start_ = 0;
    uint32_t line_ = 1;
    uint32_t column_ = 1;
};

}  // namespace atomixtest
