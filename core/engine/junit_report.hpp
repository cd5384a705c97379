// JUnit XML as CI servers read it: one <testsuite>, one <testcase> a scenario.
#pragma once

#include <string>
#include <vector>

#include "engine/scenario_runner.hpp"

namespace atomixtest {

std::string junit_xml(const std::vector<ScenarioResult>& results);

}  // namespace atomixtest
