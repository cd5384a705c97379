// The lazy disks' daemons as the disk plugin reaches them, one request at a
// time: over their control sockets on this machine (the local and docker
// backends, and scripts/kube's nodes), or through the backend, by the node
// disk tool run beside each node on its own machine (nodes behind the
// node agent). Chosen by Backend::reaches_nodes_in_process.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atomixtest/plugin.hpp"

namespace atomixtest::disk {

class DiskNodes {
  public:
    virtual ~DiskNodes() = default;
    // The daemon's reply (control_channel.hpp); its refusal thrown as its
    // Error, BadInput when the node has no lazy disk.
    virtual nlohmann::json ask(int node, const nlohmann::json& request) = 0;
    // The nodes of the cluster that have one.
    virtual std::vector<int> nodes() = 0;
};

// For one operation (a verb, a listing): what it finds is not read again.
std::unique_ptr<DiskNodes> disk_nodes(FaultContext& context);

}  // namespace atomixtest::disk
