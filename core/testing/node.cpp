// Node: each call asks the backend or a plugin, as `atomix-test cluster NAME
// <command> N` does.
#include "atomixtest/testing/node.hpp"

#include "testing/cluster_core.hpp"
#include "testing/fault_params.hpp"

namespace atomixtest {

NodeRef::NodeRef(const Node& node) : ref_(node.id()) {}

NodeInfo Node::info() const {
    return core_->describe().node(id_);
}

std::string Node::name() const {
    return info().name;
}
NodeStatus Node::status() const {
    return info().status;
}
int Node::local_port() const {
    return info().local_port;
}
std::string Node::ip() const {
    return info().ip;
}
NodeType Node::type() const {
    return info().type;
}
std::string Node::profile() const {
    auto node = info();
    return node.profile.empty() ? core_->describe().profile : node.profile;
}
std::string Node::logs() const {
    info();
    return core_->backend().logs(core_->name(), id_);
}

CommandResult Node::run(const std::vector<std::string>& argv) const {
    info();
    return core_->backend().execute_in_node(core_->name(), id_, argv, false);
}

void Node::execute(const std::vector<std::string>& argv) const {
    info();
    core_->backend().execute_in_node(core_->name(), id_, argv, true);
}

FaultGuard Node::kill() const {
    return core_->fault("node.kill", {{"node", id_}});
}
FaultGuard Node::stop() const {
    return core_->fault("node.stop", {{"node", id_}});
}
FaultGuard Node::pause() const {
    return core_->fault("node.pause", {{"node", id_}});
}
void Node::resume() const {
    core_->apply("node.resume", {{"node", id_}});
}
void Node::start() const {
    core_->apply("node.start", {{"node", id_}});
}
void Node::recover() const {
    core_->apply("node.recover", {{"node", id_}});
}
void Node::restart() const {
    core_->apply("node.restart", {{"node", id_}});
}

FaultGuard Node::partition(const NodeRef& other) const {
    return core_->fault("net.partition", {{"local", id_}, {"remote", core_->resolve(other)}});
}
void Node::heal(const NodeRef& other) const {
    core_->apply("net.heal", {{"local", id_}, {"remote", core_->resolve(other)}});
}
FaultGuard Node::isolate() const {
    return core_->fault("net.isolate", {{"node", id_}});
}
void Node::unisolate() const {
    core_->apply("net.unisolate", {{"node", id_}});
}

FaultGuard Node::delay(const DelayOptions& options) const {
    return core_->fault("net.delay", detail::with_node(detail::delay_params(options), id_));
}
FaultGuard Node::drop(const DropOptions& options) const {
    return core_->fault("net.drop", detail::with_node(detail::drop_params(options), id_));
}
FaultGuard Node::reorder(const ReorderOptions& options) const {
    return core_->fault("net.reorder", detail::with_node(detail::reorder_params(options), id_));
}
FaultGuard Node::duplicate(const DuplicateOptions& options) const {
    return core_->fault("net.duplicate", detail::with_node(detail::duplicate_params(options), id_));
}
FaultGuard Node::corrupt(const CorruptOptions& options) const {
    return core_->fault("net.corrupt", detail::with_node(detail::corrupt_params(options), id_));
}
void Node::restore() const {
    core_->apply("net.restore", {{"node", id_}});
}

FaultGuard Node::stress(const StressOptions& options) const {
    return core_->fault("stress.start", detail::with_node(detail::stress_params(options), id_));
}
void Node::destress() const {
    core_->apply("stress.stop", {{"node", id_}});
}

Node Node::with_timeout(std::chrono::milliseconds timeout) const {
    Node copy = *this;
    copy.timeout_ = timeout;
    return copy;
}

}  // namespace atomixtest
