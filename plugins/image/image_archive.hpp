// An image as `docker save` writes it (manifest.json, the config, one layer
// tar), built in memory from host files, for POST /images/load: no registry,
// no Dockerfile, no build context written to disk.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host_files.hpp"

namespace atomixtest::image {

struct ImageRecipe {
    std::string tag;                         // repository:tag it is loaded as
    std::map<std::string, HostEntry> files;  // from host_file_closure()
    std::vector<std::string> empty_dirs;     // made in the image, mode 1777
    std::vector<std::string> entrypoint;     // may be empty
    std::map<std::string, std::string> labels;
};

// The image's two blobs: its one layer (a tar) and its config (JSON), as a
// registry stores them.
struct ImageParts {
    std::string layer;
    std::string config;
};
ImageParts build_image_parts(const ImageRecipe& recipe);

// The tar to load. Throws Environment if a file cannot be read.
std::string build_image_archive(const ImageRecipe& recipe);

std::string sha256_hex(const std::string& data);

}  // namespace atomixtest::image
