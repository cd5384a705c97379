// File descriptors that close themselves, and the pipe/socket helpers built on them.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace atomixtest {

class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        reset(std::exchange(other.fd_, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    explicit operator bool() const { return fd_ >= 0; }
    void reset(int fd = -1) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

  private:
    int fd_ = -1;
};

struct Pipe {
    UniqueFd read, write;
};

// Both ends close-on-exec; the child dup2()s what it needs onto 0, 1, 2.
Pipe make_pipe();
void set_nonblocking(int fd);

}  // namespace atomixtest
