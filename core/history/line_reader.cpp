#include "history/line_reader.hpp"

#include <cstring>

#include "history/event_fields.hpp"

namespace atomixtest {

namespace {

constexpr size_t kChunk = size_t{64} * 1024;

std::string size_name(size_t bytes) {
    if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

LineReader::LineReader(ByteSource& source, std::string name, size_t max_line)
    : source_(source), name_(std::move(name)), max_line_(max_line) {
    // Grows as lines need it, up to the bound and one chunk more.
    buffer_.resize(kChunk);
}

bool LineReader::next(std::string_view& line) {
    size_t scanned = begin_;
    while (true) {
        auto* newline =
            static_cast<char*>(std::memchr(buffer_.data() + scanned, '\n', end_ - scanned));
        if (newline) {
            auto length = static_cast<size_t>(newline - (buffer_.data() + begin_));
            if (length > max_line_) break;
            line = {buffer_.data() + begin_, length};
            begin_ += length + 1;
            ++number_;
            return true;
        }
        if (end_ - begin_ > max_line_) break;
        if (ended_) {
            if (begin_ == end_) return false;
            line = {buffer_.data() + begin_, end_ - begin_};
            begin_ = end_;
            ++number_;
            return true;
        }
        scanned = end_;
        if (begin_ > 0) {  // what is left of the buffer's lines moves to its start
            std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
            scanned -= begin_;
            end_ -= begin_;
            begin_ = 0;
        }
        if (buffer_.size() - end_ < kChunk / 2) {
            buffer_.resize(std::min(buffer_.size() * 2, max_line_ + kChunk + 1));
        }
        auto got = source_.read(buffer_.data() + end_, buffer_.size() - end_);
        if (got == 0) ended_ = true;
        end_ += got;
    }
    throw_at(name_, number_ + 1, static_cast<uint32_t>(max_line_ + 1),
             "line longer than " + size_name(max_line_) + " (no event is that long)");
}

}  // namespace atomixtest
