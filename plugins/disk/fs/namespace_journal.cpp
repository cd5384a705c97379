#include "namespace_journal.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace atomixtest::disk {

namespace {

bool exists(int dir, const std::string& path, struct stat& st) {
    return fstatat(dir, path.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace

void remove_tree(int dir, const std::string& path) {
    struct stat st {};
    if (!exists(dir, path, st)) return;
    if (!S_ISDIR(st.st_mode)) {
        unlinkat(dir, path.c_str(), 0);
        return;
    }
    int fd = openat(dir, path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        DIR* entries = fdopendir(fd);
        if (entries) {
            std::vector<std::string> names;
            while (auto* entry = readdir(entries)) {
                if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0)
                    names.emplace_back(entry->d_name);
            }
            for (const auto& name : names) remove_tree(dirfd(entries), name);
            closedir(entries);
        } else {
            close(fd);
        }
    }
    unlinkat(dir, path.c_str(), AT_REMOVEDIR);
}

bool directory_is_empty(int dir, const std::string& path) {
    int fd = openat(dir, path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return false;
    DIR* entries = fdopendir(fd);
    if (!entries) {
        close(fd);
        return false;
    }
    bool empty = true;
    while (auto* entry = readdir(entries)) {
        if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
            empty = false;
            break;
        }
    }
    closedir(entries);
    return empty;
}

std::string NamespaceJournal::next_trash_name() {
    return std::to_string(++trash_count_);
}

void NamespaceJournal::created(const std::string& path) {
    changes_.push_back({Kind::Created, path, "", ""});
}

int NamespaceJournal::remove(const std::string& path, bool directory) {
    struct stat st {};
    if (!exists(lower_, path, st)) return -errno;
    if (directory && !S_ISDIR(st.st_mode)) return -ENOTDIR;
    if (!directory && S_ISDIR(st.st_mode)) return -EISDIR;
    if (directory && !directory_is_empty(lower_, path)) return -ENOTEMPTY;
    auto trash = next_trash_name();
    if (renameat(lower_, path.c_str(), trash_, trash.c_str()) != 0) return -errno;
    changes_.push_back({Kind::Removed, path, "", trash});
    return 0;
}

// A rename over an existing entry: the entry it replaces is kept in the trash
// (a hard link for a file, the empty directory itself), so undoing puts it back.
int NamespaceJournal::replace(const std::string& from, const std::string& to,
                              bool to_is_directory) {
    auto trash = next_trash_name();
    if (to_is_directory) {
        if (renameat(lower_, to.c_str(), trash_, trash.c_str()) != 0) return -errno;
    } else if (linkat(lower_, to.c_str(), trash_, trash.c_str(), 0) != 0) {
        return -errno;
    }
    if (renameat(lower_, from.c_str(), lower_, to.c_str()) != 0) {
        int error = errno;
        if (to_is_directory) {
            renameat(trash_, trash.c_str(), lower_, to.c_str());
        } else {
            unlinkat(trash_, trash.c_str(), 0);
        }
        return -error;
    }
    changes_.push_back({Kind::Renamed, from, to, trash});
    return 0;
}

int NamespaceJournal::rename(const std::string& from, const std::string& to, unsigned int flags) {
    if (flags & RENAME_EXCHANGE) {
        if (renameat2(lower_, from.c_str(), lower_, to.c_str(), RENAME_EXCHANGE) != 0)
            return -errno;
        changes_.push_back({Kind::Exchanged, from, to, ""});
        return 0;
    }
    struct stat source {
    }, target{};
    if (!exists(lower_, from, source)) return -errno;
    if (!exists(lower_, to, target)) {
        if (renameat2(lower_, from.c_str(), lower_, to.c_str(), RENAME_NOREPLACE) != 0)
            return -errno;
        changes_.push_back({Kind::Renamed, from, to, ""});
        return 0;
    }
    if (flags & RENAME_NOREPLACE) return -EEXIST;
    // Two names of one file: rename(2) does nothing.
    if (source.st_ino == target.st_ino && source.st_dev == target.st_dev) return 0;
    bool target_is_directory = S_ISDIR(target.st_mode);
    if (target_is_directory && !S_ISDIR(source.st_mode)) return -EISDIR;
    if (!target_is_directory && S_ISDIR(source.st_mode)) return -ENOTDIR;
    if (target_is_directory && !directory_is_empty(lower_, to)) return -ENOTEMPTY;
    return replace(from, to, target_is_directory);
}

void NamespaceJournal::commit() {
    for (const auto& change : changes_) {
        if (!change.trash.empty()) remove_tree(trash_, change.trash);
    }
    changes_.clear();
}

size_t NamespaceJournal::undo() {
    size_t undone = 0;
    for (auto change = changes_.rbegin(); change != changes_.rend(); ++change) {
        switch (change->kind) {
            case Kind::Created:
                remove_tree(lower_, change->path);
                break;
            case Kind::Removed:
                renameat(trash_, change->trash.c_str(), lower_, change->path.c_str());
                break;
            case Kind::Renamed:
                renameat(lower_, change->to.c_str(), lower_, change->path.c_str());
                if (!change->trash.empty()) {
                    renameat(trash_, change->trash.c_str(), lower_, change->to.c_str());
                }
                break;
            case Kind::Exchanged:
                renameat2(lower_, change->path.c_str(), lower_, change->to.c_str(),
                          RENAME_EXCHANGE);
                break;
        }
        ++undone;
    }
    changes_.clear();
    return undone;
}

}  // namespace atomixtest::disk
