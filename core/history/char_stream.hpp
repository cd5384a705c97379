// Characters from a ByteSource with two of look-ahead, for the EDN reader:
// EDN has no line structure to bound, so the reader bounds each form itself
// and this keeps only a buffer of the input in memory.
#pragma once

#include <cstdint>
#include <vector>

#include "history/byte_source.hpp"

namespace atomixtest {

class CharStream {
  public:
    explicit CharStream(ByteSource& source) : source_(source), buffer_(size_t{64} * 1024) {}

    bool at_end() { return !fill(1); }
    // The character `ahead` places on (0 or 1), or '\0' past the end.
    char peek(size_t ahead = 0) { return fill(ahead + 1) ? buffer_[begin_ + ahead] : '\0'; }
    char next() {
        ++consumed_;
        return fill(1) ? buffer_[begin_++] : '\0';
    }
    // Characters taken by next() so far.
    uint64_t consumed() const { return consumed_; }

  private:
    // Whether at least `count` characters are buffered, reading more if needed.
    bool fill(size_t count) {
        while (end_ - begin_ < count) {
            if (ended_) return false;
            if (begin_ > 0) {
                for (size_t i = begin_; i < end_; ++i) buffer_[i - begin_] = buffer_[i];
                end_ -= begin_;
                begin_ = 0;
            }
            auto got = source_.read(buffer_.data() + end_, buffer_.size() - end_);
            if (got == 0) ended_ = true;
            end_ += got;
        }
        return true;
    }

    ByteSource& source_;
    std::vector<char> buffer_;
    size_t begin_ = 0, end_ = 0;
    bool ended_ = false;
    uint64_t consumed_ = 0;
};

}  // namespace atomixtest
