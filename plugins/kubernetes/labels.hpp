// The labels and annotations that make the Kubernetes API the source of
// truth: every object of a cluster carries them, so any process finds the
// cluster, its nodes and their LOCAL PORTs from the API alone.
#pragma once

namespace atomixtest::kube::labels {

constexpr const char* kCluster = "atomix-test.io/cluster";
constexpr const char* kNode = "atomix-test.io/node";
constexpr const char* kType = "atomix-test.io/type";  // server | client
constexpr const char* kProfile = "atomix-test.io/profile";
constexpr const char* kRole = "atomix-test.io/role";  // node
// Which state root made the cluster (a hash of its path): gc leaves alone
// what another user or test run made on the same Kubernetes.
constexpr const char* kStateRoot = "atomix-test.io/state-root";

}  // namespace atomixtest::kube::labels

namespace atomixtest::kube::annotations {

// On a node's Service, which outlives its pod.
constexpr const char* kLocalPort = "atomix-test.io/local-port";
constexpr const char* kClientPort = "atomix-test.io/client-port";
constexpr const char* kStopGrace = "atomix-test.io/stop-grace-ms";
constexpr const char* kCapturedPrefix = "atomix-test.io/captured-";
// The Kubernetes node the node's pod runs on: a stopped node's pod comes back
// there, where its data is.
constexpr const char* kHost = "atomix-test.io/host";
// On the namespace, when --host put every pod on one Kubernetes node: where
// an added node goes too.
constexpr const char* kPinnedHost = "atomix-test.io/pinned-host";
// On the namespace, when the cluster's faults go through the node agent
// (--node-agent, or a Kubernetes node this machine cannot enter).
constexpr const char* kNodeAgent = "atomix-test.io/node-agent";
// On the namespace, when the nodes' data dirs are lazy disks (--disk lazy):
// an added node gets one too.
constexpr const char* kDisk = "atomix-test.io/disk";
// On the namespace, when images come from a registry (--registry): where an
// added node's image and the agent's are pushed too.
constexpr const char* kRegistry = "atomix-test.io/registry";
// On the namespace, with --registry-ca: the registry's CA (PEM), trusted by
// every later push.
constexpr const char* kRegistryCa = "atomix-test.io/registry-ca";
// On the namespace, with --registry-auth: the Secret holding the registry's
// credentials (the pods pull with it, later pushes read it).
constexpr const char* kRegistryAuth = "atomix-test.io/registry-auth";
// On a pod whose container the node agent froze: that container's ID (a
// container started again since is not frozen). Kubernetes does not know of
// a frozen container, and this machine cannot read the freezer of another's.
constexpr const char* kFrozenContainer = "atomix-test.io/frozen-container";
// On a Kubernetes node, set by scripts/kube: where its containerd answers on
// this machine, for images without a registry.
constexpr const char* kContainerdAddress = "atomix-test.io/containerd-address";

}  // namespace atomixtest::kube::annotations
