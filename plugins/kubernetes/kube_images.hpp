// Images on the Kubernetes nodes without a registry: assembled from this
// machine's files (as on docker) and imported into the containerd of each
// node that runs one, which this machine reaches on a cluster made by
// scripts/kube (its nodes say where, in an annotation). A real cluster's
// nodes pull them from a registry instead (kube_registry.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "api/api_client.hpp"

namespace atomixtest::kube {

// Imports the image (atomix-test/NAME:HASH, see image/assembled_image.hpp)
// into the containerd of each of `hosts` that lacks it; the tar is built at
// most once, in `scratch`. Throws BadInput naming a node this machine cannot
// put images on.
void ensure_image_on_hosts(ApiClient& api, const std::string& name, const std::string& tag,
                           const std::vector<std::string>& host_files,
                           const std::vector<std::string>& hosts,
                           const std::filesystem::path& scratch);

}  // namespace atomixtest::kube
