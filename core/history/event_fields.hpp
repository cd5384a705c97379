// The fields of an event, shared by both formats: a parsed map (from JSON or
// EDN, keywords read as plain names) becomes a HistoryEvent, and back.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "atomixtest/history.hpp"

namespace atomixtest {

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
