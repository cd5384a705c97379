// Which Kubernetes API server to talk to, and as whom: a kubeconfig file read
// as kubectl reads it (--kubeconfig, else each file of KUBECONFIG merged, the
// first to name a cluster, user or context winning, else ~/.kube/config), one
// context chosen (--context, else current-context). Credentials are client
// certificates or a bearer token, inline (*-data) or in files (relative to the
// kubeconfig's own directory); exec and auth-provider plugins are refused by
// name, since running a command a kubeconfig names is not this tool's call.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest::kube {

// PEM text, and where it came from (for error messages).
struct Pem {
    std::string text;
    std::string origin;
};

struct ApiEndpoint {
    std::string server;   // https://host:port, no trailing slash
    std::string context;  // the context chosen
    std::optional<Pem> certificate_authority;
    bool insecure_skip_tls_verify = false;
    std::optional<Pem> client_certificate;
    std::optional<Pem> client_key;
    std::string token;
    std::string source;  // the kubeconfig file(s) read
};

struct KubeconfigChoice {
    std::string path;     // --kubeconfig: this file only
    std::string context;  // --context
};

// --kubeconfig and --context as the CLI hands them on (and the relays it
// starts inherit): ATOMIX_TEST_KUBECONFIG and ATOMIX_TEST_KUBE_CONTEXT.
KubeconfigChoice kubeconfig_choice_from_environment();

// The files that would be read: --kubeconfig, else KUBECONFIG's list, else
// ~/.kube/config.
std::vector<std::filesystem::path> kubeconfig_files(const KubeconfigChoice& choice);

// Throws BadInput naming the file (and file:line:column for what is inside
// it) when no file exists, one is not YAML, the context is unknown (the known
// ones listed), or a credential is of a kind not supported.
ApiEndpoint load_api_endpoint(const KubeconfigChoice& choice);

// Base64 as Kubernetes writes it (a kubeconfig's *-data, a Secret's data);
// bad input naming `where` when it is not.
std::string base64_decode(const std::string& text, const std::string& where);

}  // namespace atomixtest::kube
