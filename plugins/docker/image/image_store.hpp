// Images the engine must have before a container starts: assembled from host
// files and loaded (once: the tag is a hash of what goes in, so an unchanged
// machine reuses it and a changed binary makes a new one), or named and pulled
// when the engine lacks them.
#pragma once

#include <string>
#include <vector>

#include "engine_api/engine_client.hpp"

namespace atomixtest::docker {

// Returns the tag, e.g. atomix-test/etcd:3f2a...; throws BadInput if the files
// cannot be gathered, Environment if the engine refuses the image.
std::string ensure_assembled_image(EngineClient& engine, const std::string& name,
                                   const std::vector<std::string>& host_files);

// Pulls name (repository[:tag]) unless the engine has it already.
std::string ensure_named_image(EngineClient& engine, const std::string& name);

}  // namespace atomixtest::docker
