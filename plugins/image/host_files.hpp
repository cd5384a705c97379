// Which host files an image needs so that its programs run as they do here:
// the entries asked for, every shared library they load (as ldd resolves it,
// libraries of libraries included), and each symlink met on the way (the image
// keeps this machine's layout, /lib -> usr/lib included), at the same paths.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace atomixtest::image {

struct HostEntry {
    enum class Kind { Directory, File, Symlink } kind = Kind::File;
    std::string link_target;  // for Symlink, as readlink(2) gives it
};

// Absolute path -> entry, parents included. Entries are executables found on
// PATH, or absolute files or directories (taken whole). Without libraries,
// only what the entries name (cheap: no ldd). Throws BadInput naming an entry
// that does not exist.
std::map<std::string, HostEntry> host_file_closure(const std::vector<std::string>& entries,
                                                   bool with_libraries = true);

}  // namespace atomixtest::image
