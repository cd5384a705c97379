// The directories the node agent keeps on its Kubernetes node for the nodes
// of a cluster reached through it: each node's data dir (a hostPath, kept
// across a stop, where a lazy disk's daemon serves it) and what serves it.
// Named by the namespace's UID, so that a namespace made again under the same
// name never finds an old one's data; outside the framework's state root,
// which a node's machine need not have.
#pragma once

#include <string>

namespace atomixtest::kube {

inline constexpr const char* kNodeDirRoot = "/var/lib/atomix-test-agent";

inline std::string cluster_node_dirs(const std::string& namespace_uid) {
    return std::string(kNodeDirRoot) + "/" + namespace_uid;
}

inline std::string node_dir_of(const std::string& namespace_uid, int node) {
    return cluster_node_dirs(namespace_uid) + "/node-" + std::to_string(node);
}

// Agent side: everything mounted at or under `dir` in the machine's mount
// namespace (a lazy disk; its daemon ends once unmounted) is unmounted,
// then `dir` is removed, and its parents up to kNodeDirRoot while empty.
// Refuses (2) a path that is not under kNodeDirRoot; 0 when done, 1 with the
// reason on stderr.
int remove_node_dir(const std::string& dir);

}  // namespace atomixtest::kube
