#include "history/byte_source.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"

namespace atomixtest {

namespace {

// How often a wait looks at Ctrl-C (the CLI's handler does not restart calls,
// but a signal to another thread would not wake this one).
constexpr int kPollSliceMs = 100;

}  // namespace

FileSource::FileSource(const std::filesystem::path& path,
                       std::chrono::steady_clock::time_point deadline)
    : name_(path.string()), deadline_(deadline) {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a
    // writer, before any deadline could apply.
    fd_.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd_) throw not_found("cannot read history " + name_ + ": " + std::strerror(errno));
}

size_t FileSource::read(char* into, size_t size) {
    while (true) {
        throw_if_interrupted("the reading of a history");
        // Poll before reading: a FIFO opened without a writer reads as ended
        // (0) until one comes, while poll() waits for one. A file is always
        // ready, so the deadline only ends a wait.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline_ - std::chrono::steady_clock::now())
                        .count();
        pollfd ready{fd_.get(), POLLIN, 0};
        int polled =
            ::poll(&ready, 1, static_cast<int>(std::clamp<long long>(left, 0, kPollSliceMs)));
        if (polled < 0 && errno != EINTR) {
            throw environment_error("cannot read " + name_ + ": " + std::strerror(errno));
        }
        if (polled <= 0) {
            if (left <= 0) {
                throw Error(ErrorKind::Timeout,
                            name_ +
                                ": nothing to read before the timeout (a pipe that nobody "
                                "writes to?)");
            }
            continue;
        }
        auto got = ::read(fd_.get(), into, size);
        if (got >= 0) return static_cast<size_t>(got);
        if (errno == EAGAIN || errno == EINTR) continue;
        throw environment_error("cannot read " + name_ + ": " + std::strerror(errno));
    }
}

size_t StreamSource::read(char* into, size_t size) {
    in_.read(into, static_cast<std::streamsize>(size));
    auto got = static_cast<size_t>(in_.gcount());
    if (got == 0 && in_.bad()) throw environment_error("cannot read " + name_);
    return got;
}

size_t TextSource::read(char* into, size_t size) {
    auto count = std::min(size, text_.size() - at_);
    std::memcpy(into, text_.data() + at_, count);
    at_ += count;
    return count;
}

}  // namespace atomixtest
