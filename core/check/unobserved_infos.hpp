// Info operations (outcome unknown) stay open for ever, so each one doubles
// the orders the search may have to try. Most never matter: a write of a value
// that no operation ever reads or compares against. Such a write can be left
// out of the search without changing the verdict:
// - if the history is linearizable without it, it is with it too: an info
//   operation may take effect at the very end, after everything else;
// - if it is linearizable with it, then it is without it: in that order the
//   write is followed, up to the next write, only by operations that do not
//   depend on its value (no read or compare-and-set sees it), which are info
//   operations without effect; moved to the end, they leave every other
//   operation seeing the same state.
// The same holds for an info compare-and-set whose new value nobody sees.
// Appends derive new values from the state, so a history with an append is
// left whole.
#pragma once

#include <cstdint>
#include <vector>

#include "check/linearizability_search.hpp"

namespace atomixtest {

// The indices of the operations the search needs, in order.
std::vector<uint32_t> operations_that_matter(const PartitionInput& input);

}  // namespace atomixtest
