#include "kube_registry.hpp"

#include <nlohmann/json.hpp>
#include <regex>

#include <fstream>

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
HttpResponse call(const Registry& registry, HttpRequest request) {
    request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kTransferTimeout);
    request.ca_pem = registry.ca_pem;
    if (!registry.auth.empty()) request.headers.push_back("Authorization: Basic " + registry.auth);
    HttpResponse reply;
    try {
        reply = http_request(request);
    } catch (const Error& error) {
        std::string said = error.what();
        if (said.find("SSL") != std::string::npos ||
            said.find("certificate") != std::string::npos) {
            throw environment_error("the registry " + registry.address + " is not trusted: " +
                                    said + " (--registry-ca FILE names its CA)");
        }
        throw environment_error("the registry does not answer: " + said);
    }
    if (reply.status == 401) {
        throw environment_error("the registry " + registry.address + " wants credentials" +
                                (registry.auth.empty() ? std::string(" (--registry-auth FILE)")
                                                       : std::string(" other than those given")) +
                                ": HTTP 401 " + reply.body);
    }
    return reply;
}

std::string url_of(const Registry& registry) {
    return (registry.plain_http ? "http://" : "https://") + registry.address;
}

std::string read_option_file(const std::string& option, const std::string& file) {
    std::ifstream in(file);
    if (!in) throw bad_input(option + " " + file + ": cannot read it");
    return {std::istreambuf_iterator<char>(in), {}};
}

// A blob the registry lacks, uploaded in one piece: a POST opens the upload,
// whose Location the PUT with the digest closes.
void push_blob(const Registry& registry, const std::string& repository, const std::string& data) {
    auto base = url_of(registry) + "/v2/" + repository;
    auto digest = "sha256:" + image::sha256_hex(data);
    if (call(registry, {.method = "HEAD", .url = base + "/blobs/" + digest}).status == 200) return;
    auto opened = call(registry, {.method = "POST", .url = base + "/blobs/uploads/"});
    auto location = opened.headers.find("location");
    if (opened.status != 202 || location == opened.headers.end()) {
        refused(registry.address, "an upload to " + repository, opened);
    }
    auto url = location->second;
    if (url.rfind("http", 0) != 0) url = url_of(registry) + url;
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + digest;
    auto closed = call(
        registry,
        {.method = "PUT", .url = url, .body = data, .content_type = "application/octet-stream"});
    if (closed.status != 201) refused(registry.address, "the blob " + digest, closed);
}

}  // namespace

Registry registry_from(const std::string& given, const std::string& ca_file,
                       const std::string& auth_file) {
    Registry registry;
    if (given.empty()) {
        if (!ca_file.empty() || !auth_file.empty()) {
            throw bad_input("--registry-ca and --registry-auth are for --registry HOST:PORT");
        }
        return registry;
    }
    static const std::regex form(
        R"((https?://)?([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}))");
    std::smatch parts;
    if (!std::regex_match(given, parts, form)) {
        throw bad_input("--registry " + given +
                        ": expected [https://|http://]HOST:PORT (a name or an address, and a "
                        "port; https unless http:// is said)");
    }
    registry.plain_http = parts[1] == "http://";
    registry.address = parts[2];
    if (!ca_file.empty()) {
        if (registry.plain_http) throw bad_input("--registry-ca is for an https registry");
        registry.ca_pem = read_option_file("--registry-ca", ca_file);
        if (registry.ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
            throw bad_input("--registry-ca " + ca_file + ": expected PEM certificates");
        }
    }
    if (!auth_file.empty()) {
        auto text = read_option_file("--registry-auth", auth_file);
        nlohmann::json config;
        try {
            config = nlohmann::json::parse(text);
        } catch (const nlohmann::json::exception& error) {
            throw bad_input("--registry-auth " + auth_file + ": not JSON (" + error.what() + ")");
        }
        registry.auth = auth_in_docker_config(text, registry.address);
        if (registry.auth.empty()) {
            auto helper = config.contains("credsStore") || config.contains("credHelpers");
            throw bad_input("--registry-auth " + auth_file + ": no \"auths\" entry for " +
                            registry.address + " with an \"auth\" (user:password in base64)" +
                            (helper ? "; credential helpers are not run (running a command a "
                                      "file names is not this tool's call)"
                                    : ""));
        }
    }
    return registry;
}

std::string auth_in_docker_config(const std::string& config_json, const std::string& address) {
    auto config = nlohmann::json::parse(config_json, nullptr, false);
    if (!config.is_object()) return "";
    auto auths = config.value("auths", nlohmann::json::object());
    for (const auto& key : {address, "https://" + address, "http://" + address}) {
        if (auths.contains(key) && auths[key].is_object()) {
            return auths[key].value("auth", std::string());
        }
    }
    return "";
}

std::string docker_config_of(const Registry& registry) {
    return nlohmann::json{{"auths", {{registry.address, {{"auth", registry.auth}}}}}}.dump();
}

std::string registry_reference(const Registry& registry, const std::string& tag) {
    return registry.address + "/" + tag;
}

std::string push_assembled_image(const Registry& registry, const std::string& name,
                                 const std::string& tag,
                                 const std::vector<std::string>& host_files) {
    auto [repository, version] = split(tag);
    auto manifest_url = url_of(registry) + "/v2/" + repository + "/manifests/" + version;
    auto held = call(registry, {.method = "HEAD",
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
    auto put = call(registry, {.method = "PUT",
                               .url = manifest_url,
                               .body = manifest.dump(),
                               .content_type = kManifestType});
    if (put.status != 201) refused(registry.address, "the manifest of " + tag, put);
    return registry_reference(registry, tag);
}

}  // namespace atomixtest::kube
