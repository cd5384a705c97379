// A witness cycle drawn as a standalone SVG, without Graphviz: its
// transactions on a circle, each with its process and micro-ops, and an arrow
// from each to the next labelled with the dependency (ww, wr, rw, process,
// realtime), coloured by kind.
#pragma once

#include <string>

#include "txn/txn_check.hpp"

namespace atomixtest {

std::string cycle_svg(const txn::TxnHistory& history, const txn::TxnAnomaly& cycle,
                      const std::string& title);

}  // namespace atomixtest
