// What every fault of the test API returns: the fault stays in force while
// the guard lives and is undone when it goes, as the original's
// `with node1.isolate():`. keep() leaves it in force for good (heal it by
// hand, or let teardown remove it); undo() ends it early.
//
//   {
//       auto isolated = cluster.node(1).isolate();
//       ...                                   // node 1 is cut off here
//   }                                         // and reconnected here
//   cluster.node(2).kill().keep();            // stays dead until recover()
#pragma once

#include <functional>
#include <string>

namespace atomixtest {

class [[nodiscard]] FaultGuard {
  public:
    FaultGuard() = default;  // nothing to undo
    FaultGuard(std::string description, std::function<void()> undo);
    FaultGuard(FaultGuard&& other) noexcept;
    // Undoes the fault this guard held (as its destructor would), then takes other's.
    FaultGuard& operator=(FaultGuard&& other) noexcept;
    FaultGuard(const FaultGuard&) = delete;
    FaultGuard& operator=(const FaultGuard&) = delete;
    // Undoes the fault if still held; never throws (a failed undo is written
    // to stderr: teardown still removes every fault with the cluster).
    ~FaultGuard();

    // Ends the fault now; throws atomixtest::Error if the undo fails.
    // Afterwards the guard holds nothing.
    void undo();
    // Leaves the fault in force: the guard lets go of it.
    void keep() noexcept;
    void release() noexcept { keep(); }

    bool holds_fault() const noexcept { return static_cast<bool>(undo_); }
    // The fault as applied, e.g. `net.isolate {"node":1}`, and what its
    // plugin saw of its effect where it checked: `clock.bump {...} (verified:
    // node 1: etcd (pid 123) reads the time -5.000s off; ...)`.
    const std::string& description() const noexcept { return description_; }

  private:
    void undo_quietly() noexcept;

    std::string description_;
    std::function<void()> undo_;
};

}  // namespace atomixtest
