// The state a FUSE daemon shares between its FUSE threads and its control
// thread: the lazy store of the node's data and the I/O rules in force.
#pragma once

#define FUSE_USE_VERSION 312
#include <fuse3/fuse.h>

#include <atomic>
#include <mutex>
#include <string>

#include "io_rules.hpp"
#include "lazy_store.hpp"

namespace atomixtest::disk {

class DiskDaemon {
  public:
    DiskDaemon(LazyStore& store, std::string mountpoint)
        : store_(store), mountpoint_(std::move(mountpoint)) {}

    LazyStore& store() { return store_; }
    const std::string& mountpoint() const { return mountpoint_; }

    void set_rules(IoRules rules);
    bool has_rules() const { return has_rules_.load(std::memory_order_relaxed); }
    nlohmann::json rules_json() const;
    // The fate of one call under the rules in force: held for its delay here,
    // then 0 or the -errno to answer with.
    int gate(IoOp op, const std::string& relative_path);

  private:
    LazyStore& store_;
    std::string mountpoint_;
    mutable std::mutex rules_mutex_;
    IoRules rules_;
    std::atomic<bool> has_rules_{false};
};

// The FUSE operations, passing every call through to the store's directory.
const fuse_operations& disk_operations();

}  // namespace atomixtest::disk
