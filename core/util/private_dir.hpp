// Directories that only this user may enter, whatever the umask. The state a
// backend keeps names the commands its supervisor runs as root, and claims
// tell gc what to tear down: a local user who could write there could make
// root run anything. fs::create_directories takes the umask's word (0777 &
// ~umask: world-writable under umask 000); these do not.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace atomixtest {

// Creates dir and its missing parents with `mode` (the parents that exist are
// left as they are). An existing dir owned by this user is given `mode`;
// one owned by another user is refused (Environment error naming it), as is
// a path that is not a directory.
void make_private_directories(const std::filesystem::path& dir, mode_t mode = 0700);

// The state root (util/paths.hpp), made private, then dir below it.
std::filesystem::path make_state_directory(const std::filesystem::path& dir);

}  // namespace atomixtest
