// The kubernetes backend's API client against the real API server of
// scripts/kube: it reads the cluster's kubeconfig, makes, finds by label and
// removes a namespace, and says why when the server cannot be reached (within
// 5 s), is not the one the CA vouches for, or refuses the credentials.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../integration/cli_harness.hpp"
#include "atomixtest/error.hpp"
#include "kubernetes/api/api_client.hpp"
#include "kubernetes/api/port_forward.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;
using kube::ApiClient;
using kube::load_api_endpoint;

class KubeApi : public ::testing::Test {
  protected:
    static inline const std::string name_ = "a" + std::to_string(getpid() % 100000);
    static inline const fs::path base_ = state_dir() / "kube";
    static inline std::string failure_;

    static ProcessResult kube(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {"env", "ATOMIX_TEST_KUBE_DIR=" + base_.string(),
                                         (source_dir() / "scripts/kube").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process({.argv = argv, .timeout = std::chrono::minutes(2)});
    }
    static void SetUpTestSuite() {
        auto up = kube({"up", "--nodes", "1", "--name", name_});
        if (up.exit_code != 0) failure_ = "scripts/kube up failed:\n" + up.out + up.err;
    }
    static void TearDownTestSuite() { kube({"down", "--name", name_}); }
    void SetUp() override { ASSERT_EQ(failure_, ""); }

    static fs::path dir() { return base_ / name_; }
    static std::string kubeconfig() { return (dir() / "admin.kubeconfig").string(); }
    // The admin kubeconfig with its server or credentials changed (every
    // occurrence of `from`).
    static std::string variant(const std::string& file, const std::string& from,
                               const std::string& to) {
        auto text = read_file(kubeconfig());
        EXPECT_NE(text.find(from), std::string::npos) << from;
        for (auto at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size())) {
            text.replace(at, from.size(), to);
        }
        auto path = dir() / file;
        std::ofstream(path) << text;
        return path.string();
    }
    static std::string openssl(const std::string& script) {
        auto result = run_process(
            {.argv = {"bash", "-c", "cd " + (dir() / "pki").string() + " && " + script}});
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return result.out;
    }
};

Error error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& error) {
        return error;
    }
    return {ErrorKind::Internal, "no error"};
}

TEST_F(KubeApi, ItMakesFindsByLabelAndRemovesANamespace) {
    ApiClient client(load_api_endpoint({.path = kubeconfig()}));
    EXPECT_EQ(client.server_version(), "v1.34.4");
    auto namespace_name = "atomix-test-" + name_;
    client.post(
        "/api/v1/namespaces",
        {{"metadata", {{"name", namespace_name}, {"labels", {{"atomix-test.cluster", name_}}}}}});
    auto listed = client.get("/api/v1/namespaces?labelSelector=atomix-test.cluster%3D" + name_);
    ASSERT_EQ(listed["items"].size(), 1u) << listed.dump();
    EXPECT_EQ(listed["items"][0]["metadata"]["name"], namespace_name);
    auto again = error_of([&] {
        client.post("/api/v1/namespaces", {{"metadata", {{"name", namespace_name}}}});
    });
    EXPECT_EQ(again.kind(), ErrorKind::Unavailable);
    EXPECT_NE(std::string(again.what())
                  .find("409 from the API server (context " + name_ + "): namespaces \"" +
                        namespace_name + "\" already exists"),
              std::string::npos)
        << again.what();
    client.remove("/api/v1/namespaces/" + namespace_name);
    auto gone = client.get("/api/v1/namespaces/" + namespace_name);
    EXPECT_EQ(gone["status"]["phase"], "Terminating");
    client.remove("/api/v1/namespaces/no-such-namespace");  // already gone: no error
}

TEST_F(KubeApi, AServerThatDoesNotAnswerIsSaidWithinFiveSeconds) {
    auto server = load_api_endpoint({.path = kubeconfig()}).server;  // https://10.240.X.1:6443
    auto subnet = server.substr(8, server.rfind('.') - 8);
    for (const auto& [address, what] : std::vector<std::pair<std::string, std::string>>{
             {"127.0.0.1:1", "nothing listens"}, {subnet + ".77:6443", "no host"}}) {
        auto path = variant("unreachable.kubeconfig", server, "https://" + address);
        ApiClient client(load_api_endpoint({.path = path}));
        auto started = std::chrono::steady_clock::now();
        auto error = error_of([&] { client.server_version(); });
        auto took = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(error.kind(), ErrorKind::Environment) << what << ": " << error.what();
        EXPECT_NE(std::string(error.what())
                      .find("the API server at https://" + address + " (context " + name_ +
                            ") does not answer"),
                  std::string::npos)
            << error.what();
        EXPECT_LT(took, std::chrono::milliseconds(5500)) << what;
    }
}

TEST_F(KubeApi, AServerTheCaDoesNotVouchForIsATlsError) {
    openssl(
        "openssl ecparam -name prime256v1 -genkey -noout -out other-ca.key && "
        "openssl req -x509 -new -key other-ca.key -subj /CN=other -days 1 -out other-ca.crt");
    auto path = variant("other-ca.kubeconfig", (dir() / "pki/ca.crt").string(),
                        (dir() / "pki/other-ca.crt").string());
    ApiClient client(load_api_endpoint({.path = path}));
    auto error = error_of([&] { client.server_version(); });
    EXPECT_EQ(error.kind(), ErrorKind::Environment);
    EXPECT_NE(std::string(error.what()).find("TLS with the API server at"), std::string::npos)
        << error.what();
}

TEST_F(KubeApi, CredentialsTheClusterForbidsAreRefusedInTheServersWords) {
    // A user the cluster's CA signed, with no role bound to it.
    openssl(
        "openssl ecparam -name prime256v1 -genkey -noout -out nobody.key && "
        "openssl req -new -key nobody.key -subj /CN=nobody -out nobody.csr && "
        "openssl x509 -req -in nobody.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
        "-days 1 -out nobody.crt");
    auto path = variant("nobody.kubeconfig", "pki/admin.", "pki/nobody.");
    auto text = read_file(dir() / "nobody.kubeconfig");
    ASSERT_EQ(text.find("admin.key"), std::string::npos) << text;
    ApiClient client(load_api_endpoint({.path = path}));
    auto error = error_of([&] { client.get("/api/v1/namespaces"); });
    EXPECT_EQ(error.kind(), ErrorKind::Environment);
    EXPECT_NE(std::string(error.what())
                  .find("403 from the API server (context " + name_ +
                        "): namespaces is forbidden: User \"nobody\" cannot list resource "
                        "\"namespaces\""),
              std::string::npos)
        << error.what();
}

}  // namespace
}  // namespace atomixtest::testing

namespace atomixtest::testing {
namespace {

// The port-forward's WebSocket through the API server: a pod's port answers
// (the sandbox image says its pod's name on 8080), a port nothing listens on
// is refused in the pod side's words, and a pod that does not exist is the
// API server's 404, each an Unavailable error (the target is down).
TEST_F(KubeApi, APortForwardReachesAPodsPortAndARefusalIsSaid) {
    auto applied =
        run_process({.argv = {"env", "ATOMIX_TEST_KUBE_DIR=" + base_.string(),
                              (source_dir() / "scripts/kube").string(), "kubectl", "--name", name_,
                              "--", "run", "pf", "--image=docker.io/atomix-test/pause:1",
                              "--image-pull-policy=Never", "--", "--answer", "8080"},
                     .timeout = std::chrono::minutes(1)});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    auto endpoint = load_api_endpoint({.path = kubeconfig()});
    // The pod starts within seconds; until then the port-forward is refused.
    std::string answer;
    for (int attempt = 0; attempt < 100 && answer.empty(); ++attempt) {
        try {
            auto socket = kube::open_port_forward(endpoint, {"default", "pf", 8080});
            char buffer[64];
            ssize_t n = read(socket.get(), buffer, sizeof buffer);
            if (n > 0) answer.assign(buffer, static_cast<size_t>(n));
        } catch (const Error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    EXPECT_EQ(answer, "pf\n");

    auto refused = error_of([&] { kube::open_port_forward(endpoint, {"default", "pf", 8081}); });
    EXPECT_EQ(refused.kind(), ErrorKind::Unavailable);
    EXPECT_NE(std::string(refused.what()).find("refused by the pod's side"), std::string::npos)
        << refused.what();
    auto missing = error_of([&] {
        kube::open_port_forward(endpoint, {"default", "no-such-pod", 8080});
    });
    EXPECT_EQ(missing.kind(), ErrorKind::Unavailable);
    EXPECT_NE(std::string(missing.what()).find("404"), std::string::npos) << missing.what();
}

}  // namespace
}  // namespace atomixtest::testing
