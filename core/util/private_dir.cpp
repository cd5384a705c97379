#include "util/private_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atomixtest/error.hpp"
#include "util/paths.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

void make_one(const fs::path& dir, mode_t mode) {
    if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
        throw environment_error("cannot create " + dir.string() + ": " + strerror(errno));
    }
}

// The directory is ours and has exactly `mode`; or it is root's and closed to
// everyone else (a shared place a non-root user may read, never one others
// could have written).
void own_with_mode(const fs::path& dir, mode_t mode) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
        throw environment_error("cannot read " + dir.string() + ": " + strerror(errno));
    }
    if (!S_ISDIR(info.st_mode)) throw environment_error(dir.string() + " is not a directory");
    if (info.st_uid == 0 && geteuid() != 0 && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0) return;
    if (info.st_uid != geteuid()) {
        throw environment_error(dir.string() + " belongs to user " + std::to_string(info.st_uid) +
                                ", not to this user (" + std::to_string(geteuid()) +
                                "): refusing to keep state there");
    }
    if ((info.st_mode & 07777) != mode && ::chmod(dir.c_str(), mode) != 0) {
        throw environment_error("cannot make " + dir.string() + " private: " + strerror(errno));
    }
}

}  // namespace

void make_private_directories(const fs::path& dir, mode_t mode) {
    auto absolute = fs::absolute(dir).lexically_normal();
    if (absolute.has_parent_path() && absolute.parent_path() != absolute) {
        // Parents are shared places (/var/lib): made as mkdir -p would.
        std::error_code error;
        fs::create_directories(absolute.parent_path(), error);
    }
    make_one(absolute, mode);
    own_with_mode(absolute, mode);
}

fs::path make_state_directory(const fs::path& dir) {
    auto root = state_root();
    make_private_directories(root);
    auto relative = fs::absolute(dir).lexically_normal().lexically_relative(root);
    fs::path built = root;
    for (const auto& part : relative) {
        if (part == "..") {
            throw Error(ErrorKind::Internal, dir.string() + " is outside " + root.string());
        }
        if (part == ".") continue;
        built /= part;
        make_one(built, 0700);
        own_with_mode(built, 0700);
    }
    return dir;
}

}  // namespace atomixtest
