// A process held still with ptrace while its clock is patched: every thread
// seized (PTRACE_SEIZE, so nothing is sent that the process could see) and
// interrupted (PTRACE_INTERRUPT), including threads started meanwhile. In
// that state the plugin can run a system call or a function inside the
// process on one of its threads, and read where each thread is, so that no
// thread is resumed in the middle of bytes that changed under it.
//
// A tracer that dies (SIGKILL) detaches its tracees by itself: the kernel
// lets them run on, so a crash leaves no attachment behind.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace atomixtest::clock {

class StoppedProcess {
  public:
    // Throws Environment when a thread cannot be traced (another tracer, no
    // permission) or does not stop within `patience` (a frozen node).
    StoppedProcess(pid_t pid, std::chrono::milliseconds patience);
    ~StoppedProcess();
    StoppedProcess(const StoppedProcess&) = delete;
    StoppedProcess& operator=(const StoppedProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Where every stopped thread is.
    std::vector<uint64_t> instruction_pointers() const;
    // Single-steps each thread found inside one of the ranges until it is
    // out (a thread in the middle of clock_gettime leaves it within a few
    // hundred instructions). Throws Environment if one stays.
    void step_out_of(const std::vector<std::pair<uint64_t, uint64_t>>& ranges);

    // A system call made by one thread, at `instruction` (a `syscall` in the
    // process's text); the thread's registers are restored afterwards.
    int64_t syscall(uint64_t instruction, int64_t number, std::array<uint64_t, 6> args);
    // function(arg0, arg1) called on one thread, on `stack_top`, returning to
    // `trap` (an int3); returns what it returned (rax).
    int64_t call(uint64_t function, uint64_t arg0, uint64_t arg1, uint64_t stack_top,
                 uint64_t trap);

    // Lets every thread go (the destructor does it too), delivering the
    // signals that arrived while they were held.
    void release();

  private:
    struct Thread {
        pid_t tid;
        int signal = 0;         // a signal held at its stop, delivered when released
        bool runnable = false;  // may run injected code: not stopped inside a system
                                // call's event (clone), whose return would clobber it
    };

    void seize_all(std::chrono::steady_clock::time_point deadline);
    void wait_stopped(Thread& thread, std::chrono::steady_clock::time_point deadline);
    Thread& worker();
    // Resumes the thread (single-step or continue) until it stops at `until`
    // (any other place with `until` 0: one step).
    void run_until(Thread& thread, int request, uint64_t until);
    // A thread about to run: the signal it stopped with is raised again after
    // release rather than lost.
    void hold_signal(Thread& thread);

    pid_t pid_;
    std::vector<Thread> threads_;
    std::vector<std::pair<pid_t, int>> held_signals_;  // raised again after release
};

// Another process's memory, through /proc/PID/mem: it reaches read-only
// mappings (the vDSO) the way a debugger's breakpoints do, making a private
// copy of the page for that process alone.
class ProcessMemory {
  public:
    explicit ProcessMemory(pid_t pid);
    ~ProcessMemory();
    ProcessMemory(const ProcessMemory&) = delete;
    ProcessMemory& operator=(const ProcessMemory&) = delete;

    std::vector<uint8_t> read(uint64_t address, size_t size) const;
    void write(uint64_t address, const void* data, size_t size) const;
    template <typename T>
    T read_as(uint64_t address) const {
        T value{};
        auto bytes = read(address, sizeof value);
        std::copy(bytes.begin(), bytes.end(), reinterpret_cast<uint8_t*>(&value));
        return value;
    }

  private:
    pid_t pid_;
    int fd_;
};

}  // namespace atomixtest::clock
