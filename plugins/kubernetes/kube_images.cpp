#include "kube_images.hpp"

#include <fstream>
#include <set>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"
#include "image/assembled_image.hpp"
#include "kube_runtime.hpp"
#include "labels.hpp"

namespace atomixtest::kube {

namespace fs = std::filesystem;

namespace {

// containerd's name for an image of no registry: Docker Hub's, as the kubelet
// resolves the pod's image.
std::string containerd_reference(const std::string& tag) {
    return "docker.io/" + tag;
}

}  // namespace

void ensure_image_on_hosts(ApiClient& api, const std::string& name, const std::string& tag,
                           const std::vector<std::string>& host_files,
                           const std::vector<std::string>& hosts, const fs::path& scratch) {
    std::set<std::string> sockets;
    for (const auto& host : std::set<std::string>(hosts.begin(), hosts.end())) {
        auto address = containerd_socket_of(api, host);
        if (address.empty()) {
            throw bad_input("Kubernetes node " + host +
                            " takes images from a registry only (it has no " +
                            annotations::kContainerdAddress +
                            " reachable from this machine): name one it pulls from with "
                            "--registry HOST:PORT (images without a registry work on clusters "
                            "made by scripts/kube)");
        }
        sockets.insert(address);
    }
    std::vector<std::string> lacking;
    std::vector<ProcessSpec> checks;
    for (const auto& socket : sockets) {
        checks.push_back({.argv = {"ctr", "-a", socket, "-n", "k8s.io", "images", "ls", "-q",
                                   "name==" + containerd_reference(tag)}});
    }
    auto found = run_processes(checks);
    size_t index = 0;
    for (const auto& socket : sockets) {
        const auto& result = found[index++];
        if (result.exit_code != 0) {
            throw environment_error("containerd at " + socket +
                                    " did not list its images: " + result.err);
        }
        if (result.out.find(containerd_reference(tag)) == std::string::npos) {
            lacking.push_back(socket);
        }
    }
    if (lacking.empty()) return;
    fs::create_directories(scratch);
    auto tar = scratch / (name + ".tar");
    std::ofstream(tar, std::ios::binary) << image::assembled_image_archive(name, tag, host_files);
    std::vector<ProcessSpec> imports;
    for (const auto& socket : lacking) {
        imports.push_back(
            {.argv = {"ctr", "-a", socket, "-n", "k8s.io", "images", "import", tar.string()},
             .timeout = std::chrono::minutes(5)});
    }
    auto results = run_processes(imports);
    std::error_code ignored;
    fs::remove(tar, ignored);
    for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].exit_code != 0) {
            throw environment_error("containerd at " + lacking[i] + " refused the image " + tag +
                                    ": " + results[i].err);
        }
    }
}

}  // namespace atomixtest::kube
