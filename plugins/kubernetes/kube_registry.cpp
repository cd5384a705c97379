#include "kube_registry.hpp"

#include <nlohmann/json.hpp>
#include <regex>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "image/assembled_image.hpp"

namespace atomixtest::kube {

namespace {

constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kConfigType = "application/vnd.oci.image.config.v1+json";
constexpr const char* kLayerType = "application/vnd.oci.image.layer.v1.tar";
constexpr auto kTransferTimeout = std::chrono::minutes(5);

struct Reference {
    std::string repository;  // atomix-test/NAME
    std::string version;     // HASH
};

Reference split(const std::string& tag) {
    auto colon = tag.rfind(':');
    return {tag.substr(0, colon), tag.substr(colon + 1)};
}

[[noreturn]] void refused(const std::string& registry, const std::string& what,
                          const HttpResponse& reply) {
    throw environment_error("the registry " + registry + " refused " + what + ": HTTP " +
                            std::to_string(reply.status) + " " + reply.body);
}

// A layer of tens of megabytes takes its time even to a near registry. A
// registry that does not answer is the machine's setting, not the system's.
HttpResponse call(HttpRequest request) {
    request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kTransferTimeout);
    try {
        return http_request(request);
    } catch (const Error& error) {
        throw environment_error("the registry does not answer: " + std::string(error.what()));
    }
}

// A blob the registry lacks, uploaded in one piece: a POST opens the upload,
// whose Location the PUT with the digest closes.
void push_blob(const std::string& registry, const std::string& repository,
               const std::string& data) {
    auto base = "http://" + registry + "/v2/" + repository;
    auto digest = "sha256:" + image::sha256_hex(data);
    if (call({.method = "HEAD", .url = base + "/blobs/" + digest}).status == 200) return;
    auto opened = call({.method = "POST", .url = base + "/blobs/uploads/"});
    auto location = opened.headers.find("location");
    if (opened.status != 202 || location == opened.headers.end()) {
        refused(registry, "an upload to " + repository, opened);
    }
    auto url = location->second;
    if (url.rfind("http", 0) != 0) url = "http://" + registry + url;
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + digest;
    auto closed = call(
        {.method = "PUT", .url = url, .body = data, .content_type = "application/octet-stream"});
    if (closed.status != 201) refused(registry, "the blob " + digest, closed);
}

}  // namespace

void validate_registry(const std::string& registry) {
    static const std::regex form(R"([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5})");
    if (!std::regex_match(registry, form)) {
        throw bad_input("--registry " + registry +
                        ": expected HOST:PORT (a name or an address, and a port; plain HTTP)");
    }
}

std::string registry_reference(const std::string& registry, const std::string& tag) {
    return registry + "/" + tag;
}

std::string push_assembled_image(const std::string& registry, const std::string& name,
                                 const std::string& tag,
                                 const std::vector<std::string>& host_files) {
    auto [repository, version] = split(tag);
    auto manifest_url = "http://" + registry + "/v2/" + repository + "/manifests/" + version;
    auto held = call({.method = "HEAD",
                      .url = manifest_url,
                      .headers = {std::string("Accept: ") + kManifestType}});
    if (held.status == 200) return registry_reference(registry, tag);
    auto parts = image::assembled_image_parts(name, host_files);
    push_blob(registry, repository, parts.layer);
    push_blob(registry, repository, parts.config);
    nlohmann::json manifest = {{"schemaVersion", 2},
                               {"mediaType", kManifestType},
                               {"config",
                                {{"mediaType", kConfigType},
                                 {"size", parts.config.size()},
                                 {"digest", "sha256:" + image::sha256_hex(parts.config)}}},
                               {"layers",
                                {{{"mediaType", kLayerType},
                                  {"size", parts.layer.size()},
                                  {"digest", "sha256:" + image::sha256_hex(parts.layer)}}}}};
    auto put = call({.method = "PUT",
                     .url = manifest_url,
                     .body = manifest.dump(),
                     .content_type = kManifestType});
    if (put.status != 201) refused(registry, "the manifest of " + tag, put);
    return registry_reference(registry, tag);
}

}  // namespace atomixtest::kube
