// Shorter witnesses through real-time order. The graph keeps only a
// reduction of real-time order (each transaction linked to the few that
// completed last before it began), so a cycle found in it may walk a chain of
// real-time edges, or data edges, where one real-time edge would do: T1
// completed before T3 began. Such a cycle is shortened, as long as it stays a
// witness of its class.
#pragma once

#include "txn/cycle_search.hpp"
#include "txn/txn_history.hpp"

namespace atomixtest::txn {

void shorten_by_realtime(Cycle& cycle, const TxnHistory& history);

}  // namespace atomixtest::txn
