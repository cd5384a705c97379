#include "kubeconfig.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "atomixtest/error.hpp"
#include "scenario/marked_yaml.hpp"

namespace atomixtest::kube {

namespace fs = std::filesystem;

namespace {

// One named entry (a cluster, user or context) and the file it came from.
struct Entry {
    nlohmann::json value;
    const MarkedDocument* document = nullptr;
    std::string pointer;  // where it is in its document

    std::string where(const std::string& field = "") const {
        auto at = pointer + (field.empty() ? "" : "/" + field);
        return format_mark(document->mark_of(at));
    }
    // Where the field's key is: for a field that should not be there at all.
    std::string key_where(const std::string& field) const {
        return format_mark(document->key_mark_of(pointer + "/" + field));
    }
};

}  // namespace

std::string base64_decode(const std::string& text, const std::string& where) {
    std::string compact;
    for (char c : text) {
        if (c != '\n' && c != '\r' && c != ' ') compact += c;
    }
    if (compact.empty() || compact.size() % 4 != 0) {
        throw bad_input(where + ": not base64 (its length is not a multiple of 4)");
    }
    std::string out(compact.size() / 4 * 3, '\0');
    int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(compact.data()),
                                  static_cast<int>(compact.size()));
    if (written < 0) throw bad_input(where + ": not base64");
    size_t padding = compact.size() - compact.find_last_not_of('=') - 1;
    out.resize(static_cast<size_t>(written) - padding);
    return out;
}

namespace {

std::string read_whole(const fs::path& path, const std::string& where) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw bad_input(where + ": cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A PEM given inline (FIELD-data, base64) or as a file (FIELD), relative to
// the kubeconfig's directory.
std::optional<Pem> pem_of(const Entry& entry, const nlohmann::json& body,
                          const std::string& body_field, const std::string& field) {
    auto inline_field = field + "-data";
    if (body.contains(inline_field) && body[inline_field].is_string()) {
        auto where = entry.where(body_field + "/" + inline_field);
        return Pem{base64_decode(body[inline_field].get<std::string>(), where), where};
    }
    if (body.contains(field) && body[field].is_string()) {
        fs::path path = body[field].get<std::string>();
        if (path.is_relative()) path = fs::path(entry.document->file).parent_path() / path;
        auto where = entry.where(body_field + "/" + field);
        return Pem{read_whole(path, where), path.string()};
    }
    return std::nullopt;
}

// Every named entry of a list (clusters, users, contexts) over the files,
// the first file to name one winning, as kubectl merges.
std::map<std::string, Entry> entries(const std::vector<MarkedDocument>& documents,
                                     const std::string& list) {
    std::map<std::string, Entry> found;
    for (const auto& document : documents) {
        if (!document.value.is_object() || !document.value.contains(list)) continue;
        const auto& items = document.value[list];
        if (!items.is_array()) {
            throw bad_input(format_mark(document.mark_of("/" + list)) + ": " + list +
                            " must be a list");
        }
        for (size_t i = 0; i < items.size(); ++i) {
            auto pointer = "/" + list + "/" + std::to_string(i);
            if (!items[i].is_object() || !items[i].contains("name") ||
                !items[i]["name"].is_string()) {
                throw bad_input(format_mark(document.mark_of(pointer)) + ": an entry of " + list +
                                " without a name");
            }
            found.try_emplace(items[i]["name"].get<std::string>(),
                              Entry{items[i], &document, pointer});
        }
    }
    return found;
}

std::string names_of(const std::map<std::string, Entry>& found) {
    std::string names;
    for (const auto& [name, entry] : found) names += (names.empty() ? "" : ", ") + name;
    return names.empty() ? "none" : names;
}

}  // namespace

KubeconfigChoice kubeconfig_choice_from_environment() {
    KubeconfigChoice choice;
    if (const char* path = getenv("ATOMIX_TEST_KUBECONFIG")) choice.path = path;
    if (const char* context = getenv("ATOMIX_TEST_KUBE_CONTEXT")) choice.context = context;
    return choice;
}

std::vector<fs::path> kubeconfig_files(const KubeconfigChoice& choice) {
    if (!choice.path.empty()) return {choice.path};
    const char* list = std::getenv("KUBECONFIG");
    if (list && *list) {
        std::vector<fs::path> files;
        std::stringstream each(list);
        std::string file;
        while (std::getline(each, file, ':')) {
            if (!file.empty()) files.emplace_back(file);
        }
        return files;
    }
    const char* home = std::getenv("HOME");
    return {fs::path(home && *home ? home : "/root") / ".kube" / "config"};
}

ApiEndpoint load_api_endpoint(const KubeconfigChoice& choice) {
    auto files = kubeconfig_files(choice);
    const char* list = std::getenv("KUBECONFIG");
    bool from_list = choice.path.empty() && list && *list;
    std::vector<MarkedDocument> documents;
    std::string source;
    for (const auto& file : files) {
        std::error_code error;
        if (!fs::exists(file, error)) {
            // A file of KUBECONFIG's list may be missing, as for kubectl.
            if (from_list) continue;
            throw bad_input("no kubeconfig at " + file.string() +
                            (choice.path.empty() ? " (give one with --kubeconfig or KUBECONFIG)"
                                                 : " (--kubeconfig)"));
        }
        documents.push_back(load_marked_yaml(file));
        source += (source.empty() ? "" : ":") + file.string();
    }
    if (documents.empty()) {
        throw bad_input(std::string("no kubeconfig: none of KUBECONFIG's files exists (") + list +
                        ")");
    }

    auto contexts = entries(documents, "contexts");
    std::string context = choice.context;
    if (context.empty()) {
        for (const auto& document : documents) {
            if (document.value.is_object() && document.value.contains("current-context") &&
                document.value["current-context"].is_string() &&
                !document.value["current-context"].get<std::string>().empty()) {
                context = document.value["current-context"].get<std::string>();
                break;
            }
        }
        if (context.empty()) {
            throw bad_input(source + ": no current-context; choose one with --context (" +
                            names_of(contexts) + ")");
        }
    }
    auto chosen = contexts.find(context);
    if (chosen == contexts.end()) {
        throw bad_input(source + ": no context named " + context +
                        " (contexts: " + names_of(contexts) + ")");
    }
    const auto& context_entry = chosen->second;
    auto body = context_entry.value.value("context", nlohmann::json::object());
    auto cluster_name = body.value("cluster", std::string());
    auto user_name = body.value("user", std::string());

    auto clusters = entries(documents, "clusters");
    auto cluster = clusters.find(cluster_name);
    if (cluster == clusters.end()) {
        throw bad_input(context_entry.where("context") + ": context " + context +
                        " names cluster '" + cluster_name +
                        "', which no kubeconfig has (clusters: " + names_of(clusters) + ")");
    }
    ApiEndpoint endpoint;
    endpoint.context = context;
    endpoint.source = source;
    auto server_body = cluster->second.value.value("cluster", nlohmann::json::object());
    endpoint.server = server_body.value("server", std::string());
    if (endpoint.server.rfind("https://", 0) != 0 && endpoint.server.rfind("http://", 0) != 0) {
        throw bad_input(cluster->second.where("cluster") + ": cluster " + cluster_name +
                        " has no server URL (server: https://HOST:PORT), got '" + endpoint.server +
                        "'");
    }
    while (!endpoint.server.empty() && endpoint.server.back() == '/') endpoint.server.pop_back();
    endpoint.certificate_authority =
        pem_of(cluster->second, server_body, "cluster", "certificate-authority");
    endpoint.insecure_skip_tls_verify = server_body.value("insecure-skip-tls-verify", false);

    if (user_name.empty()) return endpoint;
    auto users = entries(documents, "users");
    auto user = users.find(user_name);
    if (user == users.end()) {
        throw bad_input(context_entry.where("context") + ": context " + context + " names user '" +
                        user_name + "', which no kubeconfig has (users: " + names_of(users) + ")");
    }
    auto user_body = user->second.value.value("user", nlohmann::json::object());
    for (const char* unsupported : {"exec", "auth-provider", "username"}) {
        if (user_body.contains(unsupported)) {
            throw bad_input(user->second.key_where(std::string("user/") + unsupported) + ": user " +
                            user_name + " authenticates by " + unsupported +
                            ", which atomix-test does not run; give it a client certificate "
                            "(client-certificate, client-key) or a token");
        }
    }
    endpoint.client_certificate = pem_of(user->second, user_body, "user", "client-certificate");
    endpoint.client_key = pem_of(user->second, user_body, "user", "client-key");
    if (endpoint.client_certificate.has_value() != endpoint.client_key.has_value()) {
        throw bad_input(user->second.where("user") + ": user " + user_name +
                        " has a client certificate without its key, or a key without its "
                        "certificate");
    }
    if (user_body.contains("token") && user_body["token"].is_string()) {
        endpoint.token = user_body["token"].get<std::string>();
    } else if (user_body.contains("tokenFile") && user_body["tokenFile"].is_string()) {
        fs::path path = user_body["tokenFile"].get<std::string>();
        if (path.is_relative()) path = fs::path(user->second.document->file).parent_path() / path;
        endpoint.token = read_whole(path, user->second.where("user/tokenFile"));
        while (!endpoint.token.empty() &&
               (endpoint.token.back() == '\n' || endpoint.token.back() == '\r')) {
            endpoint.token.pop_back();
        }
    }
    return endpoint;
}

}  // namespace atomixtest::kube
