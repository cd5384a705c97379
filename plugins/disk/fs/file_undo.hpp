// What a crash puts back in one file: its size when it was last synced and the
// old bytes of every part of that size written over since. The file's new
// bytes go to the underlying file at once (reads, mmap and the page cache see
// them as usual); only what a power loss would take back is kept aside, so a
// file that is synced costs nothing and one that is not costs what was
// overwritten (runs of zeros, as in preallocated logs, cost a few bytes).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "util/fd.hpp"

namespace atomixtest::disk {

class FileUndo {
  public:
    // Starts tracking the file open as `fd`: everything it holds now is
    // durable. Reopens it for reading and writing (through /proc/self/fd), so
    // the undo outlives the caller's descriptor and ignores its O_APPEND.
    // Returns an empty undo (fd() < 0) if the file cannot be reopened.
    static FileUndo track(int fd);

    // Keeps the old bytes of [offset, offset + length) that lie inside the
    // durable size and are not kept yet: called before they change.
    void save(off_t offset, off_t length);

    // Puts the file back as it was when last synced: its size, then the bytes
    // kept. Returns 0 or -errno.
    int restore();

    int fd() const { return fd_.get(); }
    off_t durable_size() const { return durable_size_; }
    uint64_t saved_bytes() const { return saved_bytes_; }
    bool unlinked() const;  // no name left (removed, and the removal synced)

  private:
    struct Saved {
        off_t length = 0;
        std::string bytes;  // empty: the part was all zeros
    };
    void keep(off_t offset, off_t length);

    UniqueFd fd_;
    off_t durable_size_ = 0;
    std::map<off_t, Saved> saved_;  // disjoint, by offset
    uint64_t saved_bytes_ = 0;      // held in memory (zeros are free)
};

}  // namespace atomixtest::disk
