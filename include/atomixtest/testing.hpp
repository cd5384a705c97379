// The test API: real clusters, their nodes and network, scoped faults and
// primitives, for tests written in C++ (see the README's "Writing tests in
// C++"). The GoogleTest fixture is atomixtest/testing/gtest_fixture.hpp.
#pragma once

#include "atomixtest/error.hpp"
#include "atomixtest/testing/fault_guard.hpp"
#include "atomixtest/testing/network.hpp"
#include "atomixtest/testing/node.hpp"
#include "atomixtest/testing/node_ref.hpp"
#include "atomixtest/testing/options.hpp"
#include "atomixtest/testing/primitives.hpp"
#include "atomixtest/testing/test_cluster.hpp"
#include "atomixtest/testing/test_names.hpp"
