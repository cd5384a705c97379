// Primitive handles through one node, as the original's node.map('test-map'):
// each call is one operation of the cluster's client plugin (etcd or atomix)
// through the node's LOCAL PORT. A verb the system lacks (map.keys on etcd,
// map.cas on Atomix) throws NotFound; a refused operation throws Unavailable
// (it did not happen), one without an answer in time throws Timeout (it may
// have happened): see atomixtest/error.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

namespace detail {
class ClusterCore;

// Where a handle's operations go: a node of a cluster, with a timeout.
struct NodeChannel {
    std::shared_ptr<ClusterCore> core;
    int node = 0;
    std::chrono::milliseconds timeout{5000};

    nlohmann::json invoke(const std::string& verb, const nlohmann::json& params) const;
};
}  // namespace detail

class Map {
  public:
    Map(detail::NodeChannel channel, std::string name)
        : channel_(std::move(channel)), name_(std::move(name)) {}
    std::optional<std::string> get(const std::string& key) const;
    // The previous value.
    std::optional<std::string> put(const std::string& key, const std::string& value) const;
    // The removed value.
    std::optional<std::string> remove(const std::string& key) const;
    // Writes value if the key holds `expected` (nullopt: if absent). etcd only.
    bool cas(const std::string& key, const std::optional<std::string>& expected,
             const std::string& value) const;
    std::vector<std::string> keys() const;  // Atomix only, sorted
    int64_t size() const;                   // Atomix only
    void clear() const;                     // Atomix only
    const std::string& name() const { return name_; }

  private:
    nlohmann::json call(const std::string& verb, nlohmann::json params) const;
    detail::NodeChannel channel_;
    std::string name_;
};

// An atomic value (register).
class Value {
  public:
    Value(detail::NodeChannel channel, std::string name)
        : channel_(std::move(channel)), name_(std::move(name)) {}
    std::optional<std::string> get() const;
    void set(const std::string& value) const;
    bool cas(const std::optional<std::string>& expected, const std::string& value) const;

  private:
    nlohmann::json call(const std::string& verb, nlohmann::json params) const;
    detail::NodeChannel channel_;
    std::string name_;
};

class Counter {
  public:
    Counter(detail::NodeChannel channel, std::string name)
        : channel_(std::move(channel)), name_(std::move(name)) {}
    int64_t get() const;
    void set(int64_t value) const;
    int64_t inc() const;  // the new value

  private:
    nlohmann::json call(const std::string& verb, nlohmann::json params) const;
    detail::NodeChannel channel_;
    std::string name_;
};

// Atomix only.
class Set {
  public:
    Set(detail::NodeChannel channel, std::string name)
        : channel_(std::move(channel)), name_(std::move(name)) {}
    bool add(const std::string& element) const;  // whether it was absent
    bool contains(const std::string& element) const;
    bool remove(const std::string& element) const;  // whether it was present
    int64_t size() const;
    std::vector<std::string> get() const;  // sorted

  private:
    nlohmann::json call(const std::string& verb, nlohmann::json params) const;
    detail::NodeChannel channel_;
    std::string name_;
};

// Atomix only. The lock is held by the node's session: unlock through the
// node that locked it.
class Lock {
  public:
    Lock(detail::NodeChannel channel, std::string name)
        : channel_(std::move(channel)), name_(std::move(name)) {}
    int64_t lock() const;  // waits for it; its version
    void unlock() const;
    bool locked() const;

  private:
    nlohmann::json call(const std::string& verb, nlohmann::json params) const;
    detail::NodeChannel channel_;
    std::string name_;
};

}  // namespace atomixtest
