#include "tools_image.hpp"

#include <filesystem>

#include "atomixtest/process.hpp"
#include "container_specs.hpp"

namespace atomixtest::docker {

std::vector<std::string> tools_image_files() {
    auto program = sidecar_program();
    auto plugin_dir = std::filesystem::path(program).parent_path();
    std::vector<std::string> files = {program, (plugin_dir / "atomixtest-netem").string()};
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

}  // namespace atomixtest::docker
