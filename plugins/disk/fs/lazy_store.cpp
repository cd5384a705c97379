#include "lazy_store.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace atomixtest::disk {

LazyStore::LazyStore(UniqueFd lower, UniqueFd trash)
    : lower_(std::move(lower)), trash_(std::move(trash)), names_(lower_.get(), trash_.get()) {}

FileUndo& LazyStore::tracked(int fd, ino_t ino) {
    auto it = files_.find(ino);
    if (it == files_.end()) it = files_.emplace(ino, FileUndo::track(fd)).first;
    return it->second;
}

ssize_t LazyStore::write(int fd, ino_t ino, const char* data, size_t size, off_t offset) {
    std::lock_guard lock(mutex_);
    tracked(fd, ino).save(offset, static_cast<off_t>(size));
    ssize_t n = pwrite(fd, data, size, offset);
    if (n < 0) return -errno;
    written_[ino] += static_cast<uint64_t>(n);
    return n;
}

int LazyStore::truncate(int fd, ino_t ino, off_t size) {
    std::lock_guard lock(mutex_);
    auto& undo = tracked(fd, ino);
    undo.save(size, undo.durable_size());
    return ftruncate(fd, size) == 0 ? 0 : -errno;
}

int LazyStore::fallocate(int fd, ino_t ino, int mode, off_t offset, off_t length) {
    std::lock_guard lock(mutex_);
    auto& undo = tracked(fd, ino);
    // Punching, zeroing, collapsing or inserting changes bytes; plain
    // preallocation changes only the size, which the undo keeps anyway.
    if (mode & ~FALLOC_FL_KEEP_SIZE) {
        bool shifts = mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE);
        undo.save(offset, shifts ? undo.durable_size() : length);
    }
    return ::fallocate(fd, mode, offset, length) == 0 ? 0 : -errno;
}

void LazyStore::commit_names() {
    names_.commit();
    // A file whose last name went with that commit can never be put back.
    for (auto it = files_.begin(); it != files_.end();) {
        if (it->second.unlinked()) {
            written_.erase(it->first);
            it = files_.erase(it);
        } else {
            ++it;
        }
    }
}

void LazyStore::synced(ino_t ino) {
    std::lock_guard lock(mutex_);
    files_.erase(ino);
    written_.erase(ino);
}

int LazyStore::sync(int fd, ino_t ino, bool data_only) {
    {
        std::lock_guard lock(mutex_);
        files_.erase(ino);
        written_.erase(ino);
        commit_names();
    }
    int result = data_only ? fdatasync(fd) : fsync(fd);
    return result == 0 ? 0 : -errno;
}

int LazyStore::sync_directory(int fd) {
    {
        std::lock_guard lock(mutex_);
        commit_names();
    }
    return fsync(fd) == 0 ? 0 : -errno;
}

void LazyStore::chown_created(const std::string& path, uid_t uid, gid_t gid) const {
    // The daemon runs as root: what it creates for another user is theirs.
    if (uid != 0 || gid != 0) fchownat(lower_.get(), path.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW);
}

int LazyStore::create(const std::string& path, int flags, mode_t mode, uid_t uid, gid_t gid) {
    std::lock_guard lock(mutex_);
    int open_flags = (flags & ~O_TRUNC) | O_CLOEXEC;
    int fd = openat(lower_.get(), path.c_str(), open_flags | O_CREAT | O_EXCL, mode);
    if (fd >= 0) {
        names_.created(path);
        chown_created(path, uid, gid);
        return fd;
    }
    if (errno != EEXIST || (flags & O_EXCL)) return -errno;
    fd = openat(lower_.get(), path.c_str(), open_flags & ~O_CREAT);
    if (fd < 0) return -errno;
    if (flags & O_TRUNC) {
        struct stat st {};
        fstat(fd, &st);
        auto& undo = tracked(fd, st.st_ino);
        undo.save(0, undo.durable_size());
        if (ftruncate(fd, 0) != 0) {
            int error = errno;
            close(fd);
            return -error;
        }
    }
    return fd;
}

int LazyStore::mkdir(const std::string& path, mode_t mode, uid_t uid, gid_t gid) {
    std::lock_guard lock(mutex_);
    if (mkdirat(lower_.get(), path.c_str(), mode) != 0) return -errno;
    names_.created(path);
    chown_created(path, uid, gid);
    return 0;
}

int LazyStore::mknod(const std::string& path, mode_t mode, dev_t device, uid_t uid, gid_t gid) {
    std::lock_guard lock(mutex_);
    if (mknodat(lower_.get(), path.c_str(), mode, device) != 0) return -errno;
    names_.created(path);
    chown_created(path, uid, gid);
    return 0;
}

int LazyStore::symlink(const std::string& target, const std::string& path, uid_t uid, gid_t gid) {
    std::lock_guard lock(mutex_);
    if (symlinkat(target.c_str(), lower_.get(), path.c_str()) != 0) return -errno;
    names_.created(path);
    chown_created(path, uid, gid);
    return 0;
}

int LazyStore::link(const std::string& from, const std::string& to) {
    std::lock_guard lock(mutex_);
    if (linkat(lower_.get(), from.c_str(), lower_.get(), to.c_str(), 0) != 0) return -errno;
    names_.created(to);
    return 0;
}

int LazyStore::unlink(const std::string& path) {
    std::lock_guard lock(mutex_);
    return names_.remove(path, false);
}

int LazyStore::rmdir(const std::string& path) {
    std::lock_guard lock(mutex_);
    return names_.remove(path, true);
}

int LazyStore::rename(const std::string& from, const std::string& to, unsigned int flags) {
    std::lock_guard lock(mutex_);
    return names_.rename(from, to, flags);
}

LossReport LazyStore::lose_unsynced() {
    std::lock_guard lock(mutex_);
    LossReport report;
    // Names first: the files' own undo works through descriptors, whatever
    // their names have become.
    report.name_changes = names_.undo();
    for (auto& [ino, undo] : files_) {
        if (undo.restore() == 0) ++report.files;
        report.bytes += written_[ino];
    }
    files_.clear();
    written_.clear();
    return report;
}

nlohmann::json LazyStore::unsynced() const {
    std::lock_guard lock(mutex_);
    uint64_t written = 0, kept = 0;
    for (const auto& [ino, bytes] : written_) written += bytes;
    for (const auto& [ino, undo] : files_) kept += undo.saved_bytes();
    return {{"files", files_.size()},
            {"bytes_written", written},
            {"bytes_kept", kept},
            {"name_changes", names_.pending()}};
}

}  // namespace atomixtest::disk
