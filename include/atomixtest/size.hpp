// Sizes as people write them for memory limits: 1048576, 512k, 512m, 1.5g
// (binary units; a trailing b or ib is allowed, case does not matter).
#pragma once

#include <cstdint>
#include <string>

namespace atomixtest {

// The largest size accepted: 1 PiB, far above any memory or disk here, far
// below int64's range.
constexpr int64_t kMaxSize = int64_t{1} << 50;

// Bytes. Throws BadInput naming `what` (e.g. "--memory") and the accepted forms.
int64_t parse_size(const std::string& text, const std::string& what);

}  // namespace atomixtest
