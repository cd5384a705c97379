// Text made safe inside XML and HTML markup (attributes and content alike).
#pragma once

#include <string>
#include <string_view>

namespace atomixtest {

// &, <, >, " and ' escaped; control characters XML 1.0 forbids even escaped
// become '?'.
std::string xml_escape(std::string_view text);

}  // namespace atomixtest
