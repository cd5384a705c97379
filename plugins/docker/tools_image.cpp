#include "tools_image.hpp"

#include <filesystem>

#include "container_specs.hpp"
#include "image/fault_tools.hpp"

namespace atomixtest::docker {

std::vector<std::string> tools_image_files() {
    auto program = sidecar_program();
    auto plugin_dir = std::filesystem::path(program).parent_path();
    std::vector<std::string> files = {program, (plugin_dir / "atomixtest-netem").string()};
    for (auto& tool : image::fault_tool_files()) files.push_back(std::move(tool));
    return files;
}

}  // namespace atomixtest::docker
