// The labels that make Docker the source of truth: every object of a cluster
// carries them, so any process finds the cluster, its nodes and their roles
// from the engine alone.
#pragma once

namespace atomixtest::docker::labels {

constexpr const char* kCluster = "io.atomix-test.cluster";
constexpr const char* kNode = "io.atomix-test.node";
constexpr const char* kType = "io.atomix-test.type";  // server | client
constexpr const char* kProfile = "io.atomix-test.profile";
constexpr const char* kRole = "io.atomix-test.role";  // node | sidecar | relay
constexpr const char* kIp = "io.atomix-test.ip";
constexpr const char* kLocalPort = "io.atomix-test.local-port";
constexpr const char* kClientPort = "io.atomix-test.client-port";
constexpr const char* kGeneration = "io.atomix-test.generation";  // of the relay
constexpr const char* kStopGrace = "io.atomix-test.stop-grace-ms";
// On the network: "lazy" when each node's data dir is a lazy disk (--disk lazy).
constexpr const char* kDisk = "io.atomix-test.disk";
// Values a profile's join request captured (etcd's member id), for its leave.
constexpr const char* kCapturedPrefix = "io.atomix-test.captured.";

}  // namespace atomixtest::docker::labels
