// Images for Kubernetes nodes this machine cannot put them on: pushed to a
// registry the user names, from which the nodes pull them. The Registry HTTP
// API v2 over the SDK's HTTP client: nothing else is needed on this machine,
// no engine, no credentials store.
//   --registry [https://|http://]HOST:PORT   https unless http:// is said
//   --registry-ca FILE     its CA (PEM), when the system's do not vouch for it
//   --registry-auth FILE   a Docker config (as `docker login` writes it): its
//                          entry for HOST:PORT, user and password in "auth";
//                          the pods pull with the same, as a Secret of the
//                          cluster's namespace (kube_objects.hpp)
#pragma once

#include <string>
#include <vector>

namespace atomixtest::kube {

struct Registry {
    std::string address;  // HOST:PORT, what image references start with
    bool plain_http = false;
    std::string ca_pem;  // "" : the system's CAs
    std::string auth;    // base64 of USER:PASSWORD, "" without credentials

    bool empty() const { return address.empty(); }
    // As --registry takes it back: "http://HOST:PORT" or "HOST:PORT".
    std::string named() const { return plain_http ? "http://" + address : address; }
};

// From the options' values (files read here); bad input naming the option
// and what it expected. An empty `given` is no registry (the others then
// refused).
Registry registry_from(const std::string& given, const std::string& ca_file,
                       const std::string& auth_file);

// The credentials as a Docker config holding them alone: the pull Secret's
// .dockerconfigjson.
std::string docker_config_of(const Registry& registry);

// The "auth" of a Docker config's entry for an address, "" when it has none.
std::string auth_in_docker_config(const std::string& config_json, const std::string& address);

// What the pods name the image by: HOST:PORT/atomix-test/NAME:HASH.
std::string registry_reference(const Registry& registry, const std::string& tag);

// Pushes the image assembled from host files (tag: atomix-test/NAME:HASH)
// unless the registry holds it already: its layer and config as blobs, then
// an OCI manifest. Returns the reference. Environment error in the
// registry's words when it refuses, or when it does not answer or its
// certificate is not trusted.
std::string push_assembled_image(const Registry& registry, const std::string& name,
                                 const std::string& tag,
                                 const std::vector<std::string>& host_files);

}  // namespace atomixtest::kube
