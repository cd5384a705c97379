// One node of a test cluster: the original tool's Node. A handle (cheap to
// copy) that asks the backend each time, so status() is always current.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/cluster.hpp"
#include "atomixtest/testing/fault_guard.hpp"
#include "atomixtest/testing/node_ref.hpp"
#include "atomixtest/testing/options.hpp"
#include "atomixtest/testing/primitives.hpp"

namespace atomixtest {

class Node {
  public:
    Node(std::shared_ptr<detail::ClusterCore> core, int id) : core_(std::move(core)), id_(id) {}

    int id() const { return id_; }
    std::string name() const;
    NodeStatus status() const;
    int local_port() const;  // 127.0.0.1 port forwarded to the node's client port
    std::string ip() const;  // on the cluster's network
    NodeType type() const;
    std::string profile() const;
    std::string logs() const;

    // A command in the node (its container, or its namespace and cgroup):
    // run waits and returns its output; execute starts it and leaves it running.
    CommandResult run(const std::vector<std::string>& argv) const;
    void execute(const std::vector<std::string>& argv) const;

    // Node actions. kill, stop and pause are faults: their guard recovers,
    // starts or resumes the node again (unless it already runs); the rest
    // return once done. pause returns once every process is frozen.
    FaultGuard kill() const;
    FaultGuard stop() const;
    FaultGuard pause() const;
    void resume() const;
    void start() const;
    void recover() const;
    void restart() const;

    // Partitions: both directions, undone by the guard exactly.
    FaultGuard partition(const NodeRef& other) const;
    void heal(const NodeRef& other) const;
    FaultGuard isolate() const;
    void unisolate() const;

    // netem on the packets this node sends. Verbs add up on a node; the guard
    // (like restore()) removes every netem fault of the node.
    FaultGuard delay(const DelayOptions& options = {}) const;
    FaultGuard drop(const DropOptions& options = {}) const;
    FaultGuard reorder(const ReorderOptions& options = {}) const;
    FaultGuard duplicate(const DuplicateOptions& options = {}) const;
    FaultGuard corrupt(const CorruptOptions& options = {}) const;
    void restore() const;

    // stress-ng inside the node; the guard (like destress()) ends it.
    FaultGuard stress(const StressOptions& options) const;
    void destress() const;

    // Primitives through this node. Operations wait at most the node's
    // operation timeout (5 s unless with_timeout says otherwise).
    Map map(const std::string& name) const { return {channel(), name}; }
    Value value(const std::string& name) const { return {channel(), name}; }
    Counter counter(const std::string& name) const { return {channel(), name}; }
    Set set(const std::string& name) const { return {channel(), name}; }
    Lock lock(const std::string& name) const { return {channel(), name}; }
    // The same node whose operations give up after `timeout`.
    Node with_timeout(std::chrono::milliseconds timeout) const;

  private:
    NodeInfo info() const;
    detail::NodeChannel channel() const { return {core_, id_, timeout_}; }

    std::shared_ptr<detail::ClusterCore> core_;
    int id_;
    std::chrono::milliseconds timeout_{5000};
};

}  // namespace atomixtest
