// Runs a clean-up when a scope ends, however it ends: returned, thrown
// through (by anything, not only atomixtest::Error), or interrupted. The
// clean-up must not throw; one that does is stopped here, since a second
// exception during unwinding would end the process with faults in force.
#pragma once

#include <utility>

namespace atomixtest {

template <typename CleanUp>
class ScopeExit {
  public:
    explicit ScopeExit(CleanUp clean_up) : clean_up_(std::move(clean_up)) {}
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;
    ~ScopeExit() {
        if (!armed_) return;
        try {
            clean_up_();
        } catch (...) {
            // The clean-up reports its own failures; nothing may escape here.
        }
    }
    // Runs it now, once.
    void run_now() {
        if (!armed_) return;
        armed_ = false;
        clean_up_();
    }
    void release() { armed_ = false; }

  private:
    CleanUp clean_up_;
    bool armed_ = true;
};

}  // namespace atomixtest
