// Images for Kubernetes nodes this machine cannot put them on: pushed to a
// registry the user names (--registry HOST:PORT, plain HTTP, as a cluster's
// own registry often is), from which the nodes pull them. The Registry HTTP
// API v2 over the SDK's HTTP client: nothing else is needed on this machine,
// no engine, no credentials store.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::kube {

// HOST:PORT (a name or an IPv4 address, and a port); bad input otherwise.
void validate_registry(const std::string& registry);

// What the pods name the image by: REGISTRY/atomix-test/NAME:HASH.
std::string registry_reference(const std::string& registry, const std::string& tag);

// Pushes the image assembled from host files (tag: atomix-test/NAME:HASH)
// unless the registry holds it already: its layer and config as blobs, then
// an OCI manifest. Returns the reference. Environment error in the
// registry's words when it refuses, or when it does not answer.
std::string push_assembled_image(const std::string& registry, const std::string& name,
                                 const std::string& tag,
                                 const std::vector<std::string>& host_files);

}  // namespace atomixtest::kube
