#include "image/fault_tools.hpp"

#include <filesystem>

#include "atomixtest/process.hpp"

namespace atomixtest::image {

std::vector<std::string> fault_tool_files() {
    std::vector<std::string> files;
    for (const char* tool :
         {"iptables", "iptables-restore", "iptables-save", "nft", "tc", "ip", "sh", "stress-ng"}) {
        if (!find_executable(tool).empty()) files.emplace_back(tool);
    }
    // iptables loads its matches and targets (NFQUEUE, comment, mark) at run time.
    for (const char* dir :
         {"/usr/lib/x86_64-linux-gnu/xtables", "/usr/lib/aarch64-linux-gnu/xtables",
          "/usr/lib/xtables", "/usr/lib64/xtables"}) {
        if (std::filesystem::is_directory(dir)) files.emplace_back(dir);
    }
    return files;
}

}  // namespace atomixtest::image
