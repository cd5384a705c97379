// The disk plugin's verbs, each declared once (atomixtest/verb.hpp).
#pragma once

#include <vector>

#include "atomixtest/verb.hpp"

namespace atomixtest::disk {

std::vector<VerbSpec> disk_verbs();

}  // namespace atomixtest::disk
