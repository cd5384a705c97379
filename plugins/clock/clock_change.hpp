// A clock change as data: what a verb asks of a node's clock, in a form that
// travels to the node-side tool (atomixtest-node-clock) as JSON when the
// node is on another machine, and that this process applies the same way
// when it is not. The record a process keeps of its clock (clock_page.hpp)
// travels back the same way, for `faults` and for putting a clock back.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "atomixtest/verb.hpp"
#include "process_clock.hpp"

namespace atomixtest::clock {

// {"op": "bump", "offset_ns": N} | {"op": "rate", "rate": R} |
// {"op": "strobe", "delta_ns": D, "period_ns": P, "duration_ns": T}, from
// the verb's params; not_found for a verb that changes nothing.
nlohmann::json change_of(const std::string& verb, const Params& params);

// The change of a clock back to a record read before (put back when a later
// node's change fails): {"op": "restore", "record": {...}}.
nlohmann::json restore_of(const ClockData& before);

// What a change does to a process's data, given the real time then. Bad
// input for JSON that is none of the above.
ClockUpdate update_of(const nlohmann::json& change);

// The part of a process's clock data that says what was asked (its offsets,
// rate, strobe), without the saved vDSO bytes.
nlohmann::json record_of(const ClockData& data);
ClockData record_from(const nlohmann::json& record);

// What a node's clock is, for comparing before and after: the function of
// real time its processes compute (the strobe's selector aside). "own"
// without a fault.
std::string clock_signature(const std::optional<ClockData>& data);

}  // namespace atomixtest::clock
