#include "stopped_process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include "atomixtest/error.hpp"

namespace atomixtest::clock {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<pid_t> threads_of(pid_t pid) {
    std::vector<pid_t> tids;
    auto path = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = opendir(path.c_str());
    if (!dir) return tids;
    while (auto* entry = readdir(dir)) {
        if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9')
            tids.push_back(std::atoi(entry->d_name));
    }
    closedir(dir);
    return tids;
}

// The tracer of a thread, as the kernel names it (a thread id).
pid_t tracer_of(pid_t tid) {
    std::ifstream in("/proc/" + std::to_string(tid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10);
    }
    return 0;
}

std::string who(pid_t pid, pid_t tid) {
    return "process " + std::to_string(pid) +
           (tid == pid ? "" : " (thread " + std::to_string(tid) + ")");
}

// A fault in code the plugin ran in the process: never delivered (it would
// kill the process), reported instead.
bool is_fault(int signal) {
    return signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE;
}

user_regs_struct registers_of(pid_t tid) {
    user_regs_struct regs{};
    if (ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) {
        throw environment_error("ptrace GETREGS of thread " + std::to_string(tid) + ": " +
                                strerror(errno));
    }
    return regs;
}

void set_registers(pid_t tid, const user_regs_struct& regs) {
    if (ptrace(PTRACE_SETREGS, tid, nullptr, &regs) != 0) {
        throw environment_error("ptrace SETREGS of thread " + std::to_string(tid) + ": " +
                                strerror(errno));
    }
}

}  // namespace

StoppedProcess::StoppedProcess(pid_t pid, std::chrono::milliseconds patience) : pid_(pid) {
    try {
        seize_all(Clock::now() + patience);
    } catch (...) {
        release();
        throw;
    }
}

StoppedProcess::~StoppedProcess() {
    release();
}

// Until a listing of the process's threads shows none that is not held: a
// thread not yet seized may start another meanwhile (one already seized
// takes its new thread along, PTRACE_O_TRACECLONE).
void StoppedProcess::seize_all(Clock::time_point deadline) {
    std::set<pid_t> known;
    while (true) {
        std::vector<size_t> fresh;
        for (pid_t tid : threads_of(pid_)) {
            if (!known.insert(tid).second) continue;
            if (ptrace(PTRACE_SEIZE, tid, nullptr, PTRACE_O_TRACECLONE) != 0) {
                if (errno == ESRCH) continue;  // it exited
                int error = errno;
                if (tracer_of(tid) != static_cast<pid_t>(::syscall(SYS_gettid))) {
                    throw environment_error("cannot trace " + who(pid_, tid) + ": " +
                                            strerror(error) +
                                            " (another tracer, or no CAP_SYS_PTRACE)");
                }
                // Started meanwhile by a held thread: it stops by itself.
            } else {
                ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr);
            }
            threads_.push_back({tid});
            fresh.push_back(threads_.size() - 1);
        }
        if (fresh.empty()) break;
        for (size_t index : fresh) wait_stopped(threads_[index], deadline);
        threads_.erase(std::remove_if(threads_.begin(), threads_.end(),
                                      [](const Thread& thread) { return thread.tid == 0; }),
                       threads_.end());
    }
    if (threads_.empty()) throw environment_error("process " + std::to_string(pid_) + " is gone");
}

void StoppedProcess::wait_stopped(Thread& thread, Clock::time_point deadline) {
    while (true) {
        int status = 0;
        pid_t got = waitpid(thread.tid, &status, __WALL | WNOHANG);
        if (got < 0 || (got > 0 && !WIFSTOPPED(status))) {
            thread.tid = 0;  // it exited
            return;
        }
        if (got > 0) {
            int event = status >> 16;
            int signal = WSTOPSIG(status);
            thread.runnable = event == PTRACE_EVENT_STOP || event == 0;
            if (event == 0) thread.signal = signal;  // a signal on its way in: deliver it later
            return;
        }
        if (Clock::now() > deadline) {
            throw environment_error(who(pid_, thread.tid) +
                                    " did not stop for ptrace in time (is the node frozen?)");
        }
        std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
}

std::vector<uint64_t> StoppedProcess::instruction_pointers() const {
    std::vector<uint64_t> pointers;
    for (const auto& thread : threads_) pointers.push_back(registers_of(thread.tid).rip);
    return pointers;
}

void StoppedProcess::step_out_of(const std::vector<std::pair<uint64_t, uint64_t>>& ranges) {
    auto inside = [&](uint64_t rip) {
        return std::any_of(ranges.begin(), ranges.end(), [&](const auto& range) {
            return rip >= range.first && rip < range.second;
        });
    };
    for (auto& thread : threads_) {
        for (int step = 0; inside(registers_of(thread.tid).rip); ++step) {
            if (!thread.runnable || step == 100000) {
                throw environment_error(who(pid_, thread.tid) + " stays inside the vDSO");
            }
            hold_signal(thread);
            run_until(thread, PTRACE_SINGLESTEP, 0);
        }
    }
}

void StoppedProcess::hold_signal(Thread& thread) {
    if (thread.signal) held_signals_.emplace_back(thread.tid, thread.signal);
    thread.signal = 0;
}

// A thread held by our interrupt, with no signal on its way in. One stopped
// to take a signal is used only when none is (its signal is raised again
// afterwards), and never for a fault: the JVM answers its own SIGSEGVs
// (safepoint polls, null checks) by the faulting address, which a signal
// raised again would not carry.
StoppedProcess::Thread& StoppedProcess::worker() {
    for (auto& thread : threads_) {
        if (thread.runnable && thread.signal == 0) return thread;
    }
    for (auto& thread : threads_) {
        if (thread.runnable && !is_fault(thread.signal) && thread.signal != SIGTRAP) {
            hold_signal(thread);
            return thread;
        }
    }
    throw environment_error("no thread of process " + std::to_string(pid_) +
                            " is stopped where a call can be made");
}

void StoppedProcess::run_until(Thread& thread, int request, uint64_t until) {
    auto deadline = Clock::now() + std::chrono::seconds(2);
    while (Clock::now() < deadline) {
        if (ptrace(static_cast<__ptrace_request>(request), thread.tid, nullptr, nullptr) != 0) {
            throw environment_error("ptrace of " + who(pid_, thread.tid) + ": " + strerror(errno));
        }
        int status = 0;
        pid_t got = 0;
        while ((got = waitpid(thread.tid, &status, __WALL | WNOHANG)) == 0) {
            if (Clock::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::microseconds(5));
        }
        if (got == 0) break;
        if (got < 0 || !WIFSTOPPED(status)) {
            thread.tid = 0;
            throw environment_error(who(pid_, pid_) + " exited while its clock was being changed");
        }
        int event = status >> 16;
        int signal = WSTOPSIG(status);
        if (event != 0) continue;  // a group stop: go on
        if (signal == SIGTRAP && (until == 0 || registers_of(thread.tid).rip == until)) return;
        if (is_fault(signal) || signal == SIGTRAP) {
            throw Error(ErrorKind::Internal, "code injected into " + who(pid_, thread.tid) +
                                                 " stopped with signal " + strsignal(signal));
        }
        held_signals_.emplace_back(thread.tid, signal);  // not now: raised again after release
    }
    throw environment_error("code injected into " + who(pid_, thread.tid) + " did not finish");
}

int64_t StoppedProcess::syscall(uint64_t instruction, int64_t number,
                                std::array<uint64_t, 6> args) {
    auto& thread = worker();
    auto saved = registers_of(thread.tid);
    auto regs = saved;
    regs.rip = instruction;
    regs.rax = static_cast<uint64_t>(number);
    // No system call to restart: the kernel would otherwise rewind rip to
    // the one the thread was interrupted in.
    regs.orig_rax = static_cast<uint64_t>(-1);
    regs.rdi = args[0];
    regs.rsi = args[1];
    regs.rdx = args[2];
    regs.r10 = args[3];
    regs.r8 = args[4];
    regs.r9 = args[5];
    set_registers(thread.tid, regs);
    try {
        run_until(thread, PTRACE_SINGLESTEP, instruction + 2);
    } catch (...) {
        if (thread.tid) set_registers(thread.tid, saved);
        throw;
    }
    auto result = static_cast<int64_t>(registers_of(thread.tid).rax);
    set_registers(thread.tid, saved);
    return result;
}

int64_t StoppedProcess::call(uint64_t function, uint64_t arg0, uint64_t arg1, uint64_t stack_top,
                             uint64_t trap) {
    auto& thread = worker();
    auto saved = registers_of(thread.tid);
    auto regs = saved;
    regs.rip = function;
    regs.orig_rax = static_cast<uint64_t>(-1);
    regs.rdi = arg0;
    regs.rsi = arg1;
    // As a call instruction leaves it: the return address on a 16-byte
    // aligned stack.
    regs.rsp = (stack_top & ~uint64_t{15}) - 8;
    set_registers(thread.tid, regs);
    try {
        ProcessMemory memory(pid_);
        memory.write(regs.rsp, &trap, sizeof trap);
        run_until(thread, PTRACE_CONT, trap + 1);
    } catch (...) {
        if (thread.tid) set_registers(thread.tid, saved);
        throw;
    }
    auto result = static_cast<int64_t>(registers_of(thread.tid).rax);
    set_registers(thread.tid, saved);
    return result;
}

void StoppedProcess::release() {
    for (const auto& thread : threads_) {
        // The signal it stopped with, delivered as it would have been.
        ptrace(PTRACE_DETACH, thread.tid, nullptr, static_cast<long>(thread.signal));
    }
    threads_.clear();
    for (const auto& [tid, signal] : held_signals_) ::syscall(SYS_tgkill, pid_, tid, signal);
    held_signals_.clear();
}

ProcessMemory::ProcessMemory(pid_t pid) : pid_(pid) {
    fd_ = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) {
        throw environment_error("cannot open the memory of process " + std::to_string(pid) + ": " +
                                strerror(errno));
    }
}

ProcessMemory::~ProcessMemory() {
    close(fd_);
}

std::vector<uint8_t> ProcessMemory::read(uint64_t address, size_t size) const {
    std::vector<uint8_t> bytes(size);
    if (pread(fd_, bytes.data(), size, static_cast<off_t>(address)) != static_cast<ssize_t>(size)) {
        throw environment_error("cannot read the memory of process " + std::to_string(pid_) + ": " +
                                strerror(errno));
    }
    return bytes;
}

void ProcessMemory::write(uint64_t address, const void* data, size_t size) const {
    if (pwrite(fd_, data, size, static_cast<off_t>(address)) != static_cast<ssize_t>(size)) {
        throw environment_error("cannot write the memory of process " + std::to_string(pid_) +
                                ": " + strerror(errno));
    }
}

}  // namespace atomixtest::clock
