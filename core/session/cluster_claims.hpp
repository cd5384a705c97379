// Who a cluster belongs to, so that `gc` can tell a cluster someone still uses
// from one a crash abandoned. A claim is a small file per cluster,
// <state root>/claims/<backend>/<cluster>.json, written before anything of the
// cluster exists and removed after its teardown:
//   - held by a process (its pid and start time, so a reused pid is not taken
//     for the owner): a cluster being set up, or one a runner (`run`,
//     `entropy`, a test program) uses; abandoned once that process is gone;
//   - handed to the user: a cluster `cluster NAME setup` made (or a runner
//     kept with --keep), kept until its teardown, like the original tool's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

struct ProcessIdentity {
    int pid = 0;
    uint64_t start_time = 0;  // clock ticks after boot (/proc/PID/stat field 22)

    static ProcessIdentity of_this_process();
    static std::optional<ProcessIdentity> of(int pid);  // nullopt: no such process
    bool alive() const;  // the same process still runs (not a zombie, not a reused pid)
};

struct ClusterClaim {
    std::string backend;
    std::string cluster;
    bool user = false;      // handed to the user: no process owns it
    ProcessIdentity owner;  // when not the user's
};

// Claims the cluster for this process, before it is set up.
void claim_cluster(const std::string& backend, const std::string& cluster);
// This process takes the cluster over (to tear it down): if it dies half way,
// gc finishes the work.
void take_claim(const std::string& backend, const std::string& cluster);
// The cluster outlives this process: it is the user's until its teardown.
void hand_cluster_to_user(const std::string& backend, const std::string& cluster);
void drop_claim(const std::string& backend, const std::string& cluster);

std::optional<ClusterClaim> read_claim(const std::string& backend, const std::string& cluster);
std::vector<ClusterClaim> all_claims();

// Why gc may remove the cluster (the claim's owner exited), or nullopt when
// someone still holds it or it is the user's.
std::optional<std::string> abandoned_because(const ClusterClaim& claim);

}  // namespace atomixtest
