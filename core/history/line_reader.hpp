// JSON Lines a line at a time from a ByteSource, each line bounded: getline
// would hold a single 5 GB line whole in memory before anything could refuse
// it. Any event fits in far less than the bound.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "history/byte_source.hpp"

namespace atomixtest {

// The longest line (or EDN event) a history may hold.
constexpr size_t kMaxEventBytes = size_t{1} << 20;

class LineReader {
  public:
    LineReader(ByteSource& source, std::string name, size_t max_line = kMaxEventBytes);

    // The next line without its '\n', valid until the next call; false at the
    // end. Throws Error(BadInput) "name:line:column: line longer than ..." for
    // a line over the bound.
    bool next(std::string_view& line);
    uint32_t number() const { return number_; }

  private:
    ByteSource& source_;
    std::string name_;
    size_t max_line_;
    std::vector<char> buffer_;
    size_t begin_ = 0, end_ = 0;
    bool ended_ = false;
    uint32_t number_ = 0;
};

}  // namespace atomixtest
