#include "file_undo.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <vector>

namespace atomixtest::disk {

namespace {

constexpr off_t kChunk = off_t{64} * 1024;

bool all_zero(const char* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        if (data[i] != 0) return false;
    }
    return true;
}

int write_all_at(int fd, const char* data, size_t size, off_t offset) {
    while (size > 0) {
        ssize_t n = pwrite(fd, data, size, offset);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        data += n;
        size -= static_cast<size_t>(n);
        offset += n;
    }
    return 0;
}

}  // namespace

FileUndo FileUndo::track(int fd) {
    FileUndo undo;
    struct stat st {};
    if (fstat(fd, &st) != 0) return undo;
    auto self = "/proc/self/fd/" + std::to_string(fd);
    undo.fd_.reset(open(self.c_str(), O_RDWR | O_CLOEXEC));
    undo.durable_size_ = st.st_size;
    return undo;
}

void FileUndo::save(off_t offset, off_t length) {
    off_t end = std::min(offset + length, durable_size_);
    off_t at = offset;
    // A kept part that starts before `at` may cover its beginning.
    auto after = saved_.upper_bound(at);
    if (after != saved_.begin()) {
        auto before = std::prev(after);
        at = std::max(at, before->first + before->second.length);
    }
    while (at < end) {
        auto next = saved_.lower_bound(at);
        off_t gap_end = next == saved_.end() ? end : std::min(end, next->first);
        if (gap_end > at) keep(at, gap_end - at);
        if (next == saved_.end() || next->first >= end) break;
        at = next->first + next->second.length;
    }
}

// Reads the part as it is now, a chunk at a time; runs of zeros join the run
// before them.
void FileUndo::keep(off_t offset, off_t length) {
    std::vector<char> buffer(static_cast<size_t>(std::min(length, kChunk)));
    while (length > 0) {
        auto want = static_cast<size_t>(std::min<off_t>(length, kChunk));
        ssize_t n = pread(fd_.get(), buffer.data(), want, offset);
        if (n < 0 && errno == EINTR) continue;
        // Past the real end (the file shrank outside our view): zeros.
        size_t got = n > 0 ? static_cast<size_t>(n) : 0;
        std::fill(buffer.begin() + static_cast<std::ptrdiff_t>(got),
                  buffer.begin() + static_cast<std::ptrdiff_t>(want), 0);
        bool zeros = all_zero(buffer.data(), want);
        auto next = saved_.lower_bound(offset);
        bool joined = false;
        if (zeros && next != saved_.begin()) {
            auto before = std::prev(next);
            if (before->second.bytes.empty() && before->first + before->second.length == offset) {
                before->second.length += static_cast<off_t>(want);
                joined = true;
            }
        }
        if (!joined) {
            Saved part{static_cast<off_t>(want),
                       zeros ? std::string() : std::string(buffer.data(), want)};
            saved_bytes_ += part.bytes.size();
            saved_.emplace(offset, std::move(part));
        }
        offset += static_cast<off_t>(want);
        length -= static_cast<off_t>(want);
    }
}

int FileUndo::restore() {
    if (!fd_) return -EBADF;
    if (ftruncate(fd_.get(), durable_size_) != 0) return -errno;
    static const std::vector<char> zeros(kChunk, 0);
    for (const auto& [offset, part] : saved_) {
        if (!part.bytes.empty()) {
            int result = write_all_at(fd_.get(), part.bytes.data(), part.bytes.size(), offset);
            if (result != 0) return result;
            continue;
        }
        for (off_t done = 0; done < part.length; done += kChunk) {
            auto size = static_cast<size_t>(std::min(kChunk, part.length - done));
            int result = write_all_at(fd_.get(), zeros.data(), size, offset + done);
            if (result != 0) return result;
        }
    }
    return 0;
}

bool FileUndo::unlinked() const {
    struct stat st {};
    return fd_ && fstat(fd_.get(), &st) == 0 && st.st_nlink == 0;
}

}  // namespace atomixtest::disk
