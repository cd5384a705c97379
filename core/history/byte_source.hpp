// Where a history's bytes come from, read a buffer at a time so that no input
// is ever held whole (a 5 GB history used to be). A file or a pipe is read
// through its descriptor with poll(): a FIFO nobody writes to (`check
// /dev/stdin` with nothing piped in) ends at the deadline instead of waiting
// for ever, and Ctrl-C stops the wait. Histories already in memory come from
// a string or a stream.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "util/fd.hpp"

namespace atomixtest {

class ByteSource {
  public:
    virtual ~ByteSource() = default;
    // Up to `size` bytes into `into`; 0 only at the end of the input.
    virtual size_t read(char* into, size_t size) = 0;
};

class FileSource : public ByteSource {
  public:
    // Throws Error(NotFound) when the file cannot be opened. Reading throws
    // Error(Timeout) once `deadline` passes with nothing to read, and
    // Error(Internal) "interrupted" on Ctrl-C.
    FileSource(const std::filesystem::path& path, std::chrono::steady_clock::time_point deadline);
    size_t read(char* into, size_t size) override;

  private:
    UniqueFd fd_;
    std::string name_;
    std::chrono::steady_clock::time_point deadline_;
};

class StreamSource : public ByteSource {
  public:
    StreamSource(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}
    size_t read(char* into, size_t size) override;

  private:
    std::istream& in_;
    std::string name_;
};

class TextSource : public ByteSource {
  public:
    explicit TextSource(std::string_view text) : text_(text) {}
    size_t read(char* into, size_t size) override;

  private:
    std::string_view text_;
    size_t at_ = 0;
};

}  // namespace atomixtest
