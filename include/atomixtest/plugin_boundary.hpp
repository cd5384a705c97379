// The plugin boundary, as Falco's plugin SDK draws it: every call into a
// plugin goes through a wrapper compiled into the plugin itself
// (ATOMIXTEST_PLUGIN puts it there), which lets an atomixtest::Error through
// as it is and turns anything else a plugin throws (nlohmann's exceptions,
// std::out_of_range, a string) into Error(Internal, "plugin NAME: ..."). The
// core then only ever sees the errors it knows, and its undo and teardown run.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "atomixtest/backend.hpp"
#include "atomixtest/client.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/fault.hpp"

namespace atomixtest::boundary {

template <typename Call>
auto guarded(const char* plugin, Call&& call) -> decltype(call()) {
    try {
        return call();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        throw Error(ErrorKind::Internal, std::string("plugin ") + plugin + ": " + error.what());
    } catch (...) {
        throw Error(ErrorKind::Internal,
                    std::string("plugin ") + plugin + ": threw something that is no exception");
    }
}

template <typename Impl>
class GuardedFault final : public FaultPlugin {
  public:
    explicit GuardedFault(const char* name) : name_(name) {}
    std::vector<VerbSpec> verbs() const override {
        return guarded(name_, [&] { return impl_.verbs(); });
    }
    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        return guarded(name_, [&] { return impl_.apply(verb, params, context); });
    }
    nlohmann::json in_force(FaultContext& context) override {
        return guarded(name_, [&] { return impl_.in_force(context); });
    }
    void clear(FaultContext& context) override {
        guarded(name_, [&] { impl_.clear(context); });
    }

  private:
    const char* name_;
    mutable Impl impl_;
};

template <typename Impl>
class GuardedClient final : public ClientPlugin {
  public:
    explicit GuardedClient(const char* name) : name_(name) {}
    std::vector<VerbSpec> verbs() const override {
        return guarded(name_, [&] { return impl_.verbs(); });
    }
    nlohmann::json invoke(const std::string& verb, const Params& params,
                          const Endpoint& endpoint) override {
        return guarded(name_, [&] { return impl_.invoke(verb, params, endpoint); });
    }

  private:
    const char* name_;
    mutable Impl impl_;
};

template <typename Impl>
class GuardedBackend final : public Backend {
  public:
    explicit GuardedBackend(const char* name) : name_(name) {}
    ClusterInfo setup(const ClusterSpec& spec, const Profile& profile) override {
        return guarded(name_, [&] { return impl_.setup(spec, profile); });
    }
    void teardown(const std::string& cluster) override {
        guarded(name_, [&] { impl_.teardown(cluster); });
    }
    std::vector<std::string> list() override {
        return guarded(name_, [&] { return impl_.list(); });
    }
    ClusterInfo describe(const std::string& cluster) override {
        return guarded(name_, [&] { return impl_.describe(cluster); });
    }
    std::string node_action(const std::string& cluster, int node, NodeAction action) override {
        return guarded(name_, [&] { return impl_.node_action(cluster, node, action); });
    }
    std::string logs(const std::string& cluster, int node) override {
        return guarded(name_, [&] { return impl_.logs(cluster, node); });
    }
    NodeInfo add_node(const std::string& cluster, const Profile& profile) override {
        return guarded(name_, [&] { return impl_.add_node(cluster, profile); });
    }
    void remove_node(const std::string& cluster, int node) override {
        guarded(name_, [&] { impl_.remove_node(cluster, node); });
    }
    CommandResult execute_in_node(const std::string& cluster, int node,
                                  const std::vector<std::string>& argv, bool detached) override {
        return guarded(name_, [&] { return impl_.execute_in_node(cluster, node, argv, detached); });
    }
    std::string network_namespace(const std::string& cluster, int node) override {
        return guarded(name_, [&] { return impl_.network_namespace(cluster, node); });
    }
    int node_pid(const std::string& cluster, int node) override {
        return guarded(name_, [&] { return impl_.node_pid(cluster, node); });
    }
    std::vector<std::string> remove_leftovers(const std::vector<std::string>& in_use,
                                              bool dry_run) override {
        return guarded(name_, [&] { return impl_.remove_leftovers(in_use, dry_run); });
    }
    std::vector<CommandResult> run_in_nodes(const std::string& cluster,
                                            const std::vector<NodeCommand>& commands) override {
        return guarded(name_, [&] { return impl_.run_in_nodes(cluster, commands); });
    }
    bool reaches_nodes_in_process(const std::string& cluster) override {
        return guarded(name_, [&] { return impl_.reaches_nodes_in_process(cluster); });
    }

  private:
    const char* name_;
    Impl impl_;
};

}  // namespace atomixtest::boundary
