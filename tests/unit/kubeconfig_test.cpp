// The kubeconfig as kubectl reads it: files and inline PEMs, contexts, the
// merge of KUBECONFIG's files, and each refusal with where to look.
#include "kubernetes/api/kubeconfig.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "atomixtest/error.hpp"

namespace atomixtest::kube {
namespace {

namespace fs = std::filesystem;

class Kubeconfig : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir_ / "pki");
        write(dir_ / "pki/ca.crt", "CA PEM\n");
        write(dir_ / "pki/admin.crt", "ADMIN CERT\n");
        write(dir_ / "pki/admin.key", "ADMIN KEY\n");
        write(dir_ / "token", "s3cret\n");
        unsetenv("KUBECONFIG");
    }
    void TearDown() override {
        unsetenv("KUBECONFIG");
        fs::remove_all(dir_);
    }
    static void write(const fs::path& path, const std::string& text) {
        std::ofstream(path) << text;
    }
    std::string error_of(const KubeconfigChoice& choice) {
        try {
            load_api_endpoint(choice);
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::BadInput) << error.what();
            return error.what();
        }
        return "no error";
    }
    const fs::path dir_ =
        fs::temp_directory_path() / ("kubeconfig-test-" + std::to_string(getpid()));
    const std::string two_contexts_ = R"(apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://10.240.0.1:6443/", certificate-authority: pki/ca.crt}
- name: remote
  cluster: {server: "https://remote.example:443", certificate-authority-data: "UkVNT1RFIENB"}
users:
- name: admin
  user: {client-certificate: pki/admin.crt, client-key: pki/admin.key}
- name: robot
  user: {tokenFile: token}
contexts:
- name: here
  context: {cluster: local, user: admin}
- name: there
  context: {cluster: remote, user: robot}
current-context: here
)";
};

TEST_F(Kubeconfig, TheCurrentContextGivesTheServerAndFilesRelativeToTheKubeconfig) {
    write(dir_ / "config", two_contexts_);
    auto endpoint = load_api_endpoint({.path = (dir_ / "config").string()});
    EXPECT_EQ(endpoint.context, "here");
    EXPECT_EQ(endpoint.server, "https://10.240.0.1:6443");
    ASSERT_TRUE(endpoint.certificate_authority);
    EXPECT_EQ(endpoint.certificate_authority->text, "CA PEM\n");
    ASSERT_TRUE(endpoint.client_certificate && endpoint.client_key);
    EXPECT_EQ(endpoint.client_certificate->text, "ADMIN CERT\n");
    EXPECT_EQ(endpoint.client_key->text, "ADMIN KEY\n");
    EXPECT_TRUE(endpoint.token.empty());
}

TEST_F(Kubeconfig, AContextChosenByNameGivesInlineDataAndATokenFile) {
    write(dir_ / "config", two_contexts_);
    auto endpoint = load_api_endpoint({.path = (dir_ / "config").string(), .context = "there"});
    EXPECT_EQ(endpoint.server, "https://remote.example:443");
    ASSERT_TRUE(endpoint.certificate_authority);
    EXPECT_EQ(endpoint.certificate_authority->text, "REMOTE CA");
    EXPECT_EQ(endpoint.token, "s3cret");
    EXPECT_FALSE(endpoint.client_certificate);
}

TEST_F(Kubeconfig, KubeconfigFilesMergeTheFirstNamingAnEntryWinningAndMissingOnesSkipped) {
    write(dir_ / "first", R"(clusters:
- name: local
  cluster: {server: "https://first:6443", insecure-skip-tls-verify: true}
contexts:
- name: here
  context: {cluster: local}
)");
    write(dir_ / "second", two_contexts_);
    auto list = (dir_ / "missing").string() + ":" + (dir_ / "first").string() + ":" +
                (dir_ / "second").string();
    setenv("KUBECONFIG", list.c_str(), 1);
    auto endpoint = load_api_endpoint({});
    EXPECT_EQ(endpoint.server, "https://first:6443");  // the first file's cluster and context
    EXPECT_TRUE(endpoint.insecure_skip_tls_verify);
    EXPECT_EQ(endpoint.context, "here");  // the second file's current-context
    EXPECT_EQ(endpoint.source, (dir_ / "first").string() + ":" + (dir_ / "second").string());
}

TEST_F(Kubeconfig, EachRefusalSaysWhatAndWhere) {
    auto config = (dir_ / "config").string();
    EXPECT_EQ(error_of({.path = (dir_ / "absent").string()}),
              "no kubeconfig at " + (dir_ / "absent").string() + " (--kubeconfig)");
    setenv("KUBECONFIG", (dir_ / "absent").c_str(), 1);
    EXPECT_NE(error_of({}).find("none of KUBECONFIG's files exists"), std::string::npos);
    unsetenv("KUBECONFIG");

    write(dir_ / "config", two_contexts_);
    EXPECT_EQ(error_of({.path = config, .context = "nowhere"}),
              config + ": no context named nowhere (contexts: here, there)");

    write(dir_ / "config", R"(clusters:
- name: local
  cluster: {server: "https://10.240.0.1:6443"}
users:
- name: cloud
  user:
    exec: {command: gke-gcloud-auth-plugin}
contexts:
- name: here
  context: {cluster: local, user: cloud}
current-context: here
)");
    EXPECT_EQ(error_of({.path = config}),
              config +
                  ":7:5: user cloud authenticates by exec, which atomix-test does not run; "
                  "give it a client certificate (client-certificate, client-key) or a token");

    write(dir_ / "config", R"(clusters:
- name: local
  cluster: {certificate-authority-data: "not base64!"}
contexts:
- name: here
  context: {cluster: local}
current-context: here
)");
    EXPECT_EQ(
        error_of({.path = config}),
        config + ":3:12: cluster local has no server URL (server: https://HOST:PORT), got ''");

    write(dir_ / "config", "clusters: [unclosed\n");
    EXPECT_NE(error_of({.path = config}).find(config + ":"), std::string::npos);
}

}  // namespace
}  // namespace atomixtest::kube
