// An image assembled from host files, named by what goes in: the tag is a
// hash of the files' paths, sizes and times (and the linker cache), so an
// unchanged machine finds the image it made before and a changed binary
// makes a new one. The docker backend loads it into its engine; the
// kubernetes backend imports it into each node's containerd.
#pragma once

#include <string>
#include <vector>

#include "image_archive.hpp"

namespace atomixtest::image {

// atomix-test/NAME:HASH (16 hex digits), computed without reading the files.
// Throws BadInput if a host file cannot be found.
std::string assembled_image_tag(const std::string& name,
                                const std::vector<std::string>& host_files);

// The docker-save tar of that image (every file and the libraries it loads).
std::string assembled_image_archive(const std::string& name, const std::string& tag,
                                    const std::vector<std::string>& host_files);

// Its layer and config, for a registry.
ImageParts assembled_image_parts(const std::string& name,
                                 const std::vector<std::string>& host_files);

}  // namespace atomixtest::image
