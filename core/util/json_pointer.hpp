// JSON Pointers (RFC 6901) built a token at a time: how a value inside a
// scenario or a verb's params is named, so an error can be placed.
#pragma once

#include <string>

namespace atomixtest {

std::string pointer_append(const std::string& pointer, const std::string& token);
std::string pointer_append(const std::string& pointer, size_t index);

}  // namespace atomixtest
