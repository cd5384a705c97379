// The lazy disk: a node's data as a power loss would leave it. Every change
// reaches the underlying directory at once; what was not synced since
// (fsync, fdatasync, O_SYNC and O_DSYNC writes, fsync of a directory) is
// remembered: the old bytes of each file (file_undo.hpp) and the name changes
// (namespace_journal.hpp). lose_unsynced() puts all of it back, as a machine
// that lost power comes back with what its disk held; the node must be down.
//
// Thread-safe: the FUSE daemon's threads call it at once. The changes are
// serialized under one lock; the syncs of the underlying files are not.
#pragma once

#include <sys/types.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "file_undo.hpp"
#include "namespace_journal.hpp"
#include "util/fd.hpp"

namespace atomixtest::disk {

struct LossReport {
    size_t files = 0;         // files put back to their synced contents
    uint64_t bytes = 0;       // bytes written since their last sync, now gone
    size_t name_changes = 0;  // creations, removals and renames undone
};

class LazyStore {
  public:
    // lower: the data; trash: an empty directory on the same file system.
    LazyStore(UniqueFd lower, UniqueFd trash);

    int lower() const { return lower_.get(); }

    // Data, through a descriptor the caller opened on the underlying file
    // (ino: its inode, which keys what is remembered). Each returns what the
    // system call would, -errno on failure.
    ssize_t write(int fd, ino_t ino, const char* data, size_t size, off_t offset);
    int truncate(int fd, ino_t ino, off_t size);
    int fallocate(int fd, ino_t ino, int mode, off_t offset, off_t length);
    // fsync/fdatasync: the file's data and every earlier name change are
    // durable; then the underlying file is synced too, so a node pays what a
    // sync costs on a plain directory.
    int sync(int fd, ino_t ino, bool data_only);
    // The file's data is durable (an O_SYNC write); no underlying sync.
    void synced(ino_t ino);
    int sync_directory(int fd);

    // Names, relative to the lower root. create returns an open descriptor.
    int create(const std::string& path, int flags, mode_t mode, uid_t uid, gid_t gid);
    int mkdir(const std::string& path, mode_t mode, uid_t uid, gid_t gid);
    int mknod(const std::string& path, mode_t mode, dev_t device, uid_t uid, gid_t gid);
    int symlink(const std::string& target, const std::string& path, uid_t uid, gid_t gid);
    int link(const std::string& from, const std::string& to);
    int unlink(const std::string& path);
    int rmdir(const std::string& path);
    int rename(const std::string& from, const std::string& to, unsigned int flags);

    // The crash: everything not synced is put back. Call once the node's
    // processes are gone, or their later writes land after it.
    LossReport lose_unsynced();

    // What a crash would lose now: files, bytes kept, name changes.
    nlohmann::json unsynced() const;

  private:
    FileUndo& tracked(int fd, ino_t ino);  // under mutex_
    void commit_names();                   // under mutex_
    void chown_created(const std::string& path, uid_t uid, gid_t gid) const;

    UniqueFd lower_;
    UniqueFd trash_;
    mutable std::mutex mutex_;
    std::map<ino_t, FileUndo> files_;
    std::map<ino_t, uint64_t> written_;  // bytes written since the last sync, per file
    NamespaceJournal names_;
};

}  // namespace atomixtest::disk
