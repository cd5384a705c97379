// The test API's options as the params of the net and stress plugins' verbs
// (the same JSON a scenario step or the CLI gives them). Options left unset
// are not sent: the door fills in the verb's declared default, as it does for
// a scenario step that leaves them out.
#pragma once

#include <optional>

#include "atomixtest/testing/options.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest::detail {

// `node` is added by the caller when the fault targets one node.
Params delay_params(const DelayOptions& options);
Params drop_params(const DropOptions& options);
Params reorder_params(const ReorderOptions& options);
Params duplicate_params(const DuplicateOptions& options);
Params corrupt_params(const CorruptOptions& options);
Params rate_params(const RateOptions& options);
Params stress_params(const StressOptions& options);

Params with_node(Params params, std::optional<int> node);

}  // namespace atomixtest::detail
