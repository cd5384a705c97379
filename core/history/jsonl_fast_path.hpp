// The common shape of a JSON Lines event, read without building a JSON
// document first: long histories spend most of their check reading. Anything
// unusual (escapes, floats, objects in values, a missing or ill-typed field,
// any syntax error) returns false, and the caller reads the line with the
// full JSON parser, which accepts it or names the error's column.
#pragma once

#include <string_view>

#include "atomixtest/history.hpp"

namespace atomixtest {

bool read_simple_event(std::string_view line, HistoryEvent& event);

}  // namespace atomixtest
