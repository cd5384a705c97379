// The FUSE operations of the lazy disk: each call passes its I/O rules'
// gate (disk.error, disk.delay), then goes to the underlying directory
// through the lazy store, which remembers what a crash would take back.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "disk_daemon.hpp"

namespace atomixtest::disk {

namespace {

// What an open file is to the daemon: its underlying descriptor, its inode
// (which keys what the store remembers) and the path the rules match.
struct OpenFile {
    int fd = -1;
    ino_t ino = 0;
    std::string path;
    bool sync_writes = false;  // opened O_SYNC or O_DSYNC
};

struct OpenDir {
    DIR* dir = nullptr;
    std::string path;
};

DiskDaemon& daemon() {
    return *static_cast<DiskDaemon*>(fuse_get_context()->private_data);
}

LazyStore& store() {
    return daemon().store();
}

// The rules' gate, the path it matches made only when a rule is in force:
// without one a call pays a load.
template <typename PathOf>
int gate(IoOp op, PathOf path_of) {
    auto& serving = daemon();
    return serving.has_rules() ? serving.gate(op, path_of()) : 0;
}

// "/member/wal" -> "member/wal"; "/" -> "."
std::string relative(const char* path) {
    if (!path || path[0] == '\0' || (path[0] == '/' && path[1] == '\0')) return ".";
    return path[0] == '/' ? std::string(path + 1) : std::string(path);
}

OpenFile* file_of(fuse_file_info* fi) {
    // libfuse keeps our handle as an integer; it is the pointer open stored.
    return fi ? reinterpret_cast<OpenFile*>(fi->fh) : nullptr;  // NOLINT(performance-no-int-to-ptr)
}

// The path a rule matches: the file's name now, which libfuse keeps through
// renames (etcd writes its WAL in wal.tmp/ and renames the directory), else
// the name it was opened by (it was removed since).
std::string rule_path(const char* path, fuse_file_info* fi) {
    if (path) return relative(path);
    if (auto* file = file_of(fi)) return file->path;
    return ".";
}

int result(int value) {
    return value == 0 ? 0 : -errno;
}

// Flags the daemon's own descriptor must not carry: the kernel computes an
// append's offset itself, creating and truncating go through the store, and
// the daemon's buffers are not aligned for O_DIRECT.
int underlying_flags(int flags) {
    return (flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECT | O_NOCTTY)) | O_CLOEXEC;
}

int keep_open(int fd, const std::string& path, fuse_file_info* fi) {
    struct stat st {};
    fstat(fd, &st);
    auto* file = new OpenFile{fd, st.st_ino, path, (fi->flags & (O_SYNC | O_DSYNC)) != 0};
    fi->fh = reinterpret_cast<uint64_t>(file);
    return 0;
}

int op_getattr(const char* path, struct stat* st, fuse_file_info* fi) {
    if (int error = gate(IoOp::Stat, [&] { return rule_path(path, fi); })) return error;
    if (auto* file = file_of(fi)) return result(fstat(file->fd, st));
    return result(fstatat(store().lower(), relative(path).c_str(), st, AT_SYMLINK_NOFOLLOW));
}

int op_readlink(const char* path, char* buffer, size_t size) {
    if (int error = gate(IoOp::Read, [&] { return relative(path); })) return error;
    ssize_t n = readlinkat(store().lower(), relative(path).c_str(), buffer, size - 1);
    if (n < 0) return -errno;
    buffer[n] = '\0';
    return 0;
}

int op_mknod(const char* path, mode_t mode, dev_t device) {
    if (int error = gate(IoOp::Create, [&] { return relative(path); })) return error;
    const auto* context = fuse_get_context();
    return store().mknod(relative(path), mode, device, context->uid, context->gid);
}

int op_mkdir(const char* path, mode_t mode) {
    if (int error = gate(IoOp::Mkdir, [&] { return relative(path); })) return error;
    const auto* context = fuse_get_context();
    return store().mkdir(relative(path), mode, context->uid, context->gid);
}

int op_unlink(const char* path) {
    if (int error = gate(IoOp::Unlink, [&] { return relative(path); })) return error;
    return store().unlink(relative(path));
}

int op_rmdir(const char* path) {
    if (int error = gate(IoOp::Rmdir, [&] { return relative(path); })) return error;
    return store().rmdir(relative(path));
}

int op_symlink(const char* target, const char* path) {
    if (int error = gate(IoOp::Create, [&] { return relative(path); })) return error;
    const auto* context = fuse_get_context();
    return store().symlink(target, relative(path), context->uid, context->gid);
}

int op_rename(const char* from, const char* to, unsigned int flags) {
    if (int error = gate(IoOp::Rename, [&] { return relative(from); })) return error;
    return store().rename(relative(from), relative(to), flags);
}

int op_link(const char* from, const char* to) {
    if (int error = gate(IoOp::Create, [&] { return relative(to); })) return error;
    return store().link(relative(from), relative(to));
}

int op_chmod(const char* path, mode_t mode, fuse_file_info* fi) {
    if (auto* file = file_of(fi)) return result(fchmod(file->fd, mode));
    return result(fchmodat(store().lower(), relative(path).c_str(), mode, 0));
}

int op_chown(const char* path, uid_t uid, gid_t gid, fuse_file_info* fi) {
    if (auto* file = file_of(fi)) return result(fchown(file->fd, uid, gid));
    return result(fchownat(store().lower(), relative(path).c_str(), uid, gid, AT_SYMLINK_NOFOLLOW));
}

int op_truncate(const char* path, off_t size, fuse_file_info* fi) {
    if (int error = gate(IoOp::Truncate, [&] { return rule_path(path, fi); })) return error;
    if (auto* file = file_of(fi)) return store().truncate(file->fd, file->ino, size);
    int fd = openat(store().lower(), relative(path).c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct stat st {};
    fstat(fd, &st);
    int outcome = store().truncate(fd, st.st_ino, size);
    close(fd);
    return outcome;
}

int op_open(const char* path, fuse_file_info* fi) {
    auto name = relative(path);
    if (int error = gate(IoOp::Open, [&] { return name; })) return error;
    if (fi->flags & O_TRUNC) {
        if (int error = gate(IoOp::Truncate, [&] { return name; })) return error;
    }
    int fd = openat(store().lower(), name.c_str(), underlying_flags(fi->flags));
    if (fd < 0) return -errno;
    keep_open(fd, name, fi);
    if (fi->flags & O_TRUNC) {
        auto* file = file_of(fi);
        if (int error = store().truncate(fd, file->ino, 0)) {
            close(fd);
            delete file;
            return error;
        }
    }
    return 0;
}

int op_create(const char* path, mode_t mode, fuse_file_info* fi) {
    auto name = relative(path);
    if (int error = gate(IoOp::Create, [&] { return name; })) return error;
    const auto* context = fuse_get_context();
    int flags = underlying_flags(fi->flags) | (fi->flags & (O_EXCL | O_TRUNC));
    int fd = store().create(name, flags, mode, context->uid, context->gid);
    if (fd < 0) return fd;
    return keep_open(fd, name, fi);
}

int op_read(const char* path, char* buffer, size_t size, off_t offset, fuse_file_info* fi) {
    auto* file = file_of(fi);
    if (int error = gate(IoOp::Read, [&] { return rule_path(path, fi); })) return error;
    ssize_t n = pread(file->fd, buffer, size, offset);
    return n < 0 ? -errno : static_cast<int>(n);
}

int op_write(const char* path, const char* data, size_t size, off_t offset, fuse_file_info* fi) {
    auto* file = file_of(fi);
    if (int error = gate(IoOp::Write, [&] { return rule_path(path, fi); })) return error;
    ssize_t n = store().write(file->fd, file->ino, data, size, offset);
    // The descriptor carries O_SYNC itself: the write reached the disk.
    if (n > 0 && file->sync_writes) store().synced(file->ino);
    return static_cast<int>(n);
}

int op_statfs(const char* path, struct statvfs* st) {
    if (int error = gate(IoOp::Stat, [&] { return relative(path); })) return error;
    return result(fstatvfs(store().lower(), st));
}

int op_release(const char*, fuse_file_info* fi) {
    auto* file = file_of(fi);
    close(file->fd);
    delete file;
    return 0;
}

int op_fsync(const char* path, int data_only, fuse_file_info* fi) {
    auto* file = file_of(fi);
    if (int error = gate(IoOp::Fsync, [&] { return rule_path(path, fi); })) return error;
    return store().sync(file->fd, file->ino, data_only != 0);
}

int op_opendir(const char* path, fuse_file_info* fi) {
    auto name = relative(path);
    if (int error = gate(IoOp::Readdir, [&] { return name; })) return error;
    int fd = openat(store().lower(), name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    DIR* dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return -errno;
    }
    fi->fh = reinterpret_cast<uint64_t>(new OpenDir{dir, name});
    return 0;
}

OpenDir* dir_of(fuse_file_info* fi) {
    // libfuse keeps our handle as an integer; it is the pointer opendir stored.
    return reinterpret_cast<OpenDir*>(fi->fh);  // NOLINT(performance-no-int-to-ptr)
}

// Every entry in one call (offset 0): libfuse keeps them for the kernel.
int op_readdir(const char* path, void* buffer, fuse_fill_dir_t fill, off_t, fuse_file_info* fi,
               fuse_readdir_flags) {
    auto* dir = dir_of(fi);
    if (int error = gate(IoOp::Readdir, [&] { return path ? relative(path) : dir->path; }))
        return error;
    rewinddir(dir->dir);
    while (auto* entry = readdir(dir->dir)) {
        struct stat st {};
        st.st_ino = entry->d_ino;
        st.st_mode = static_cast<mode_t>(DTTOIF(entry->d_type));
        if (fill(buffer, entry->d_name, &st, 0, static_cast<fuse_fill_dir_flags>(0))) break;
    }
    return 0;
}

int op_releasedir(const char*, fuse_file_info* fi) {
    auto* dir = dir_of(fi);
    closedir(dir->dir);
    delete dir;
    return 0;
}

int op_fsyncdir(const char* path, int, fuse_file_info* fi) {
    auto* dir = dir_of(fi);
    if (int error = gate(IoOp::Fsync, [&] { return path ? relative(path) : dir->path; }))
        return error;
    return store().sync_directory(dirfd(dir->dir));
}

int op_access(const char* path, int mask) {
    if (int error = gate(IoOp::Stat, [&] { return relative(path); })) return error;
    return result(faccessat(store().lower(), relative(path).c_str(), mask, 0));
}

int op_utimens(const char* path, const timespec times[2], fuse_file_info* fi) {
    if (auto* file = file_of(fi)) return result(futimens(file->fd, times));
    return result(utimensat(store().lower(), relative(path).c_str(), times, AT_SYMLINK_NOFOLLOW));
}

int op_fallocate(const char* path, int mode, off_t offset, off_t length, fuse_file_info* fi) {
    auto* file = file_of(fi);
    if (int error = gate(IoOp::Fallocate, [&] { return rule_path(path, fi); })) return error;
    return store().fallocate(file->fd, file->ino, mode, offset, length);
}

// Every cache the kernel keeps of what the daemon said lasts no time, and
// open files do not keep their pages: when a crash puts the directory back,
// the node's next look sees it.
void* op_init(fuse_conn_info*, fuse_config* config) {
    config->entry_timeout = 0;
    config->attr_timeout = 0;
    config->negative_timeout = 0;
    config->use_ino = 1;
    config->hard_remove = 1;  // the store keeps removed files itself
    config->nullpath_ok = 0;  // the rules match an open file by its name now
    config->kernel_cache = 0;
    return fuse_get_context()->private_data;
}

fuse_operations make_operations() {
    fuse_operations ops{};
    ops.init = op_init;
    ops.getattr = op_getattr;
    ops.readlink = op_readlink;
    ops.mknod = op_mknod;
    ops.mkdir = op_mkdir;
    ops.unlink = op_unlink;
    ops.rmdir = op_rmdir;
    ops.symlink = op_symlink;
    ops.rename = op_rename;
    ops.link = op_link;
    ops.chmod = op_chmod;
    ops.chown = op_chown;
    ops.truncate = op_truncate;
    ops.open = op_open;
    ops.create = op_create;
    ops.read = op_read;
    ops.write = op_write;
    ops.statfs = op_statfs;
    ops.release = op_release;
    ops.fsync = op_fsync;
    ops.opendir = op_opendir;
    ops.readdir = op_readdir;
    ops.releasedir = op_releasedir;
    ops.fsyncdir = op_fsyncdir;
    ops.access = op_access;
    ops.utimens = op_utimens;
    ops.fallocate = op_fallocate;
    return ops;
}

}  // namespace

const fuse_operations& disk_operations() {
    static const fuse_operations ops = make_operations();
    return ops;
}

}  // namespace atomixtest::disk
