// The fields of an event, shared by both formats: a parsed map (from JSON or
// EDN, keywords read as plain names) becomes a HistoryEvent, and back.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "atomixtest/history.hpp"

namespace atomixtest {

// Deeper nesting than any history needs. Both readers refuse more, and
// values from elsewhere are held to it too: copying, hashing and printing a
// JSON value recurse once per level, so a value 50,000 deep overflows the stack.
constexpr int kMaxValueDepth = 200;

// Whether `value` nests deeper than kMaxValueDepth, found without recursion.
bool nested_too_deep(const nlohmann::json& value);

// Where a field of the map at hand starts, for error messages (1-based column).
using FieldColumn = std::function<uint32_t(const std::string& field)>;

// Throws Error(BadInput) "source:line:column: ..." for a missing or ill-typed field.
HistoryEvent event_from_map(const nlohmann::json& map, const std::string& source, uint32_t line,
                            const FieldColumn& column_of);

// A value for a message: JSON text, with bytes that are not UTF-8 replaced
// (EDN strings may hold any bytes; JSON text may not).
std::string printable(const nlohmann::json& value);

// "source:line:column: message" as a BadInput error.
[[noreturn]] void throw_at(const std::string& source, uint32_t line, uint32_t column,
                           const std::string& message);

}  // namespace atomixtest
