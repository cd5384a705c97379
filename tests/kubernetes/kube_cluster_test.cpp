// scripts/kube, the real multi-node Kubernetes the kubernetes backend is
// tested against: it starts Ready nodes whose kubelets run pods that answer
// across nodes, through Services and through the API server, and `down`,
// or `gc` after a crash half-way through `up`, leaves the host as it was
// found (no namespace, link, mount, cgroup, process or file of its own,
// iptables and nftables byte-identical, every sysctl back to its value).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "../integration/cli_harness.hpp"
#include "image/host_files.hpp"
#include "image/image_archive.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

// Everything of the host a cluster may touch, as text. Other runs' local
// clusters (namespaces "atomix-test.NAME...") come and go beside this test
// and are left out; the kernel's counters are too, and zombies (another
// test's exited container shim waits for init to reap it: not running, and
// `down` waits for its own to be reaped).
const char* kHostSnapshot = R"(
echo '## sysctls'
sysctl -a 2>/dev/null | grep -vE '^(fs\.(dentry-state|file-nr|inode-nr|inode-state|quota\.)|kernel\.(ns_last_pid|random\.)|net\.netfilter\.nf_conntrack_count)' | sort
echo '## iptables'
iptables-save | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
echo '## nftables'
nft -s list ruleset
echo '## namespaces'
ip netns list | grep -v '^atomix-test\.' | sort
echo '## links'
ip -o link show | awk -F': ' '{print $2}' | sort
echo '## addresses and routes'
ip -4 -o addr show | awk '{print $2, $4}' | sort
ip -4 route show table all | sort
echo '## mounts'
awk '{print $5}' /proc/self/mountinfo | grep -v '/atomix-test\.' | sort
echo '## cgroups'
for tree in /sys/fs/cgroup/*/; do find "$tree" -maxdepth 1 -mindepth 1 -type d; done | sort
echo '## files'
find /var/lib/cni /var/log/pods /var/log/containers /run/containerd /run/atomix-test-kube -not -path '/run/containerd/s/*' 2>/dev/null | sort
echo '## shim sockets made since the test began'
find /run/containerd/s -mindepth 1 -newer "$1" 2>/dev/null | sort
echo '## processes'
ps -eo stat=,args= | grep -v '^Z' | sed 's/^[^ ]* *//' | grep -E 'kube-(apiserver|scheduler|controller)|kubelet|containerd --config|containerd-shim' | grep -v grep | sort
)";

// Shim sockets (containerd's fixed /run/containerd/s) are compared only by
// those made since `since` was touched: another test's exited container may
// remove its own meanwhile.
std::string host_snapshot(const fs::path& since) {
    auto result = run_process({.argv = {"bash", "-c", kHostSnapshot, "snapshot", since.string()}});
    return result.out;
}

// The first line where two snapshots differ, with its section.
std::string first_difference(const std::string& before, const std::string& after) {
    std::istringstream a(before), b(after);
    std::string line_a, line_b, section;
    while (true) {
        bool more_a = static_cast<bool>(std::getline(a, line_a));
        bool more_b = static_cast<bool>(std::getline(b, line_b));
        if (!more_a && !more_b) return {};
        if (!more_a || !more_b || line_a != line_b) {
            return section + ": before '" + (more_a ? line_a : "(end)") + "', after '" +
                   (more_b ? line_b : "(end)") + "'";
        }
        if (line_a.rfind("## ", 0) == 0) section = line_a;
    }
}

class KubeCluster : public ::testing::Test {
  protected:
    // A name of its own (it names a host link: at most 10 characters), and a
    // dir of its own under the tests' state dir.
    const std::string name_ = "t" + std::to_string(getpid() % 100000) + suffix_();
    const fs::path base_ = state_dir() / "kube";
    const fs::path since_ = fs::temp_directory_path() / ("kube-test-since-" + name_);

    void SetUp() override { std::ofstream(since_).put('\n'); }

    static std::string suffix_() {
        static int count = 0;
        return std::string(1, static_cast<char>('a' + count++ % 26));
    }
    ProcessResult kube(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::minutes(2)) const {
        std::vector<std::string> argv = {"env", "ATOMIX_TEST_KUBE_DIR=" + base_.string(),
                                         (source_dir() / "scripts/kube").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process({.argv = argv, .timeout = timeout});
    }
    ProcessResult kubectl(const std::vector<std::string>& args,
                          const std::string& input = {}) const {
        std::vector<std::string> argv = {"env",
                                         "ATOMIX_TEST_KUBE_DIR=" + base_.string(),
                                         (source_dir() / "scripts/kube").string(),
                                         "kubectl",
                                         "--name",
                                         name_,
                                         "--"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process({.argv = argv, .input = input, .timeout = std::chrono::minutes(1)});
    }
    void TearDown() override {
        fs::remove(since_);
        kube({"down", "--name", name_});
        kube({"down", "--name", name_ + "z"});  // a second cluster's name
    }
};

std::string sysctl_value(const std::string& key) {
    auto out = run_process({.argv = {"sysctl", "-n", key}}).out;
    return out.substr(0, out.find('\n'));
}

TEST_F(KubeCluster, UpStartsReadyNodesThatRunPodsAndDownLeavesTheHostAsFound) {
    auto before = host_snapshot(since_);
    auto panic_before = sysctl_value("kernel.panic");

    auto up = kube({"up", "--nodes", "3", "--name", name_});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    EXPECT_NE(up.out.find("3 nodes Ready"), std::string::npos) << up.out;

    auto nodes = kubectl({"get", "nodes", "-o",
                          "jsonpath={range .items[*]}{.metadata.name} "
                          "{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"});
    for (int n = 1; n <= 3; ++n) {
        EXPECT_NE(nodes.out.find(name_ + "-n" + std::to_string(n) + " True"), std::string::npos)
            << nodes.out << nodes.err;
    }
    // The kubelets rewrite kernel.panic (to 10): what `down` must put back.
    if (panic_before != "10") {
        EXPECT_EQ(sysctl_value("kernel.panic"), "10");
    }

    // A pod on each node, placed by the scheduler, running the sandbox image
    // imported into that node's containerd (answering on 8080 with its name),
    // and a Service in front of the third.
    std::string objects;
    for (int n = 1; n <= 3; ++n) {
        auto id = std::to_string(n);
        objects += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p" + id + ", labels: {app: p" +
                   id +
                   "}}\nspec:\n  nodeSelector: "
                   "{kubernetes.io/hostname: " +
                   name_ + "-n" + id +
                   "}\n  containers: [{name: c, image: docker.io/atomix-test/pause:1, "
                   "imagePullPolicy: Never, args: [--answer, \"8080\"]}]\n";
    }
    objects +=
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: p3}\n"
        "spec: {selector: {app: p3}, ports: [{port: 80, targetPort: 8080}]}\n";
    auto applied = kubectl({"apply", "-f", "-"}, objects);
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    auto ready =
        kubectl({"wait", "--for=condition=Ready", "pod/p1", "pod/p2", "pod/p3", "--timeout=60s"});
    EXPECT_EQ(ready.exit_code, 0) << ready.out << ready.err;
    auto placed = kubectl({"get", "pods", "-o",
                           "jsonpath={range .items[*]}{.metadata.name}@{.spec.nodeName} "
                           "{.status.podIP}{\"\\n\"}{end}"});
    for (int n = 1; n <= 3; ++n) {
        auto pod = "p" + std::to_string(n) + "@" + name_ + "-n" + std::to_string(n) + " 10.244." +
                   std::to_string(n) + ".";
        EXPECT_NE(placed.out.find(pod), std::string::npos) << placed.out;
    }
    // Reached across nodes: a pod by its address, a Service by its ClusterIP
    // (kube-proxy's rules, in the nodes' namespaces), and a pod from this
    // machine through the API server's port-forward.
    auto pod_ip = kubectl({"get", "pod", "p2", "-o", "jsonpath={.status.podIP}"}).out;
    auto service_ip = kubectl({"get", "service", "p3", "-o", "jsonpath={.spec.clusterIP}"}).out;
    auto node1 = "/run/netns/atomix-test-kube." + name_ + ".n1";
    auto answer = [&](const std::string& address) {
        // kube-proxy writes a new Service's rules within a second or so.
        for (int attempt = 0; attempt < 20; ++attempt) {
            auto reply = run_process({.argv = {"nsenter", "--net=" + node1, "curl", "-s",
                                               "--max-time", "2", "telnet://" + address}});
            if (!reply.out.empty()) return reply.out;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        return std::string("no answer");
    };
    EXPECT_EQ(answer(pod_ip + ":8080"), "p2\n");
    EXPECT_EQ(answer(service_ip + ":80"), "p3\n");
    auto forwarded = run_process(
        {.argv = {"bash", "-c",
                  "out=$(mktemp); ATOMIX_TEST_KUBE_DIR=" + base_.string() + " " +
                      (source_dir() / "scripts/kube").string() + " kubectl --name " + name_ +
                      " -- port-forward pod/p1 :8080 > $out & "
                      "for i in $(seq 50); do port=$(grep -o '127.0.0.1:[0-9]*' $out); "
                      "[[ -n $port ]] && break; sleep 0.1; done; "
                      "curl -s --max-time 3 telnet://$port </dev/null; kill %1; rm -f $out"},
         .timeout = std::chrono::seconds(30)});
    EXPECT_EQ(forwarded.out, "p1\n") << forwarded.err;

    auto down = kube({"down", "--name", name_});
    ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
    auto after = host_snapshot(since_);
    EXPECT_EQ(first_difference(before, after), "");
    EXPECT_EQ(sysctl_value("kernel.panic"), panic_before);
}

// The images of the docker backend (this machine's files, no registry) run
// on Kubernetes too: etcd assembled from its host binary and libraries,
// imported into every node's containerd, serves on one node and answers from
// another.
TEST_F(KubeCluster, AnImageAssembledFromHostFilesRunsAsAPodAndAnswersAcrossNodes) {
    auto up = kube({"up", "--nodes", "2", "--name", name_});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    auto tar = base_ / (name_ + "-etcd.tar");
    {
        std::ofstream out(tar, std::ios::binary);
        out << image::build_image_archive({.tag = "atomix-test/etcd-on-kube:1",
                                           .files = image::host_file_closure({"etcd"}),
                                           .empty_dirs = {"/tmp", "/data"},
                                           .entrypoint = {"etcd"}});
    }
    auto imported = kube({"import", "--name", name_, tar.string()});
    fs::remove(tar);
    ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
    auto pod =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: etcd}\nspec:\n"
        "  nodeSelector: {kubernetes.io/hostname: " +
        name_ +
        "-n2}\n"
        "  containers:\n"
        "  - name: etcd\n"
        "    image: docker.io/atomix-test/etcd-on-kube:1\n"
        "    imagePullPolicy: Never\n"
        "    args: [--data-dir=/data/etcd, --listen-client-urls=http://0.0.0.0:2379,\n"
        "           --advertise-client-urls=http://127.0.0.1:2379]\n"
        "    readinessProbe: {tcpSocket: {port: 2379}, periodSeconds: 1}\n";
    ASSERT_EQ(kubectl({"apply", "-f", "-"}, pod).exit_code, 0);
    auto ready = kubectl({"wait", "--for=condition=Ready", "pod/etcd", "--timeout=60s"});
    ASSERT_EQ(ready.exit_code, 0) << ready.out << ready.err
                                  << kubectl({"describe", "pod", "etcd"}).out;
    auto ip = kubectl({"get", "pod", "etcd", "-o", "jsonpath={.status.podIP}"}).out;
    auto health =
        run_process({.argv = {"nsenter", "--net=/run/netns/atomix-test-kube." + name_ + ".n1",
                              "curl", "-s", "--max-time", "3", "http://" + ip + ":2379/health"}});
    EXPECT_NE(health.out.find("\"health\":\"true\""), std::string::npos)
        << health.out << health.err;
}

// Two clusters at once: the host's sysctls are recorded by the first and put
// back only when the last goes (the other's kubelets still run meanwhile).
TEST_F(KubeCluster, TheHostIsRestoredWhenTheLastOfTwoClustersGoes) {
    auto before = host_snapshot(since_);
    auto panic_before = sysctl_value("kernel.panic");
    auto other = name_ + "z";
    ASSERT_EQ(kube({"up", "--nodes", "1", "--name", name_}).exit_code, 0);
    auto second = kube({"up", "--nodes", "1", "--name", other});
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    ASSERT_EQ(kube({"down", "--name", name_}).exit_code, 0);
    auto nodes = kube({"kubectl", "--name", other, "--", "get", "nodes", "--no-headers"});
    EXPECT_NE(nodes.out.find(other + "-n1   Ready"), std::string::npos) << nodes.out << nodes.err;
    if (panic_before != "10") {
        EXPECT_EQ(sysctl_value("kernel.panic"), "10") << "the other cluster's kubelet runs on";
    }
    ASSERT_EQ(kube({"down", "--name", other}).exit_code, 0);
    EXPECT_EQ(first_difference(before, host_snapshot(since_)), "");
}

TEST_F(KubeCluster, GcAfterACrashHalfWayThroughUpLeavesTheHostAsFound) {
    auto before = host_snapshot(since_);
    // SIGKILL at two points: while the network and certificates are made,
    // and once the daemons run (the API server up, nodes registering).
    for (const char* after_seconds : {"0.5", "3"}) {
        auto crashed =
            run_process({.argv = {"env", "ATOMIX_TEST_KUBE_DIR=" + base_.string(), "timeout",
                                  "--signal=KILL", after_seconds,
                                  (source_dir() / "scripts/kube").string(), "up", "--name", name_},
                         .timeout = std::chrono::minutes(1)});
        EXPECT_EQ(crashed.exit_code, 137)
            << "killed at " << after_seconds << " s: " << crashed.out << crashed.err;
        auto gc = kube({"gc"});
        ASSERT_EQ(gc.exit_code, 0) << gc.out << gc.err;
        EXPECT_NE(gc.out.find("removed cluster " + name_), std::string::npos)
            << "killed at " << after_seconds << " s: " << gc.out;
        EXPECT_EQ(first_difference(before, host_snapshot(since_)), "")
            << "killed at " << after_seconds << " s";
    }
}

TEST_F(KubeCluster, BadInputIsRefusedWithTheReasonAndTouchesNothing) {
    auto before = host_snapshot(since_);
    auto nodes = kube({"up", "--nodes", "12", "--name", name_});
    EXPECT_EQ(nodes.exit_code, 2);
    EXPECT_NE(nodes.err.find("--nodes takes 1 to 9, got '12'"), std::string::npos) << nodes.err;
    auto bad_name = kube({"up", "--name", "Has_Capitals"});
    EXPECT_EQ(bad_name.exit_code, 2);
    EXPECT_NE(bad_name.err.find("--name takes 1 to 10 lowercase letters and digits"),
              std::string::npos)
        << bad_name.err;
    auto option = kube({"up", "--cores", "3"});
    EXPECT_EQ(option.exit_code, 2);
    EXPECT_NE(option.err.find("unknown option --cores (--nodes N, --name NAME)"), std::string::npos)
        << option.err;
    auto missing = kube({"down", "--name", name_});
    EXPECT_EQ(missing.exit_code, 0);
    EXPECT_NE(missing.out.find("no cluster named " + name_), std::string::npos) << missing.out;
    EXPECT_EQ(first_difference(before, host_snapshot(since_)), "");
}

}  // namespace
}  // namespace atomixtest::testing
