// Where the running executable lives, and colon-separated search paths from the
// environment: how the core finds plugins and profiles without a fixed prefix.
#pragma once

#include <filesystem>
#include <vector>

namespace atomixtest {

std::filesystem::path executable_dir();
std::vector<std::filesystem::path> paths_from_env(const char* variable);
// Where libatomixtest itself was loaded from.
std::filesystem::path library_dir();

// Where to look for a kind of file, first to last: the directories in $variable,
// then `beside` next to the executable (a build tree), then `installed` under
// the executable's prefix (e.g. lib/atomix-test/plugins for <prefix>/bin), and
// the same two around the library when it lives elsewhere.
std::vector<std::filesystem::path> search_path(const char* variable, const char* beside,
                                               const char* installed);

// Root of the files backends keep (absolute): $ATOMIX_TEST_STATE_DIR, else
// /var/lib/atomix-test as root, else ~/.local/state/atomix-test.
std::filesystem::path state_root();

}  // namespace atomixtest
