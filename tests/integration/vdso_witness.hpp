// What the clock tests look at, read from /proc here rather than through the
// clock plugin, so that a blind plugin cannot pass them: whether a process's
// vDSO is still the kernel's image (this test's own copy, which nothing
// patches) and whether a process is being traced.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace atomixtest::testing {

// The process's vDSO bytes, or nullopt when it has none or is gone.
inline std::optional<std::vector<uint8_t>> vdso_bytes(int pid) {
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    for (std::string line; std::getline(maps, line);) {
        if (line.find("[vdso]") == std::string::npos) continue;
        uint64_t start = 0, end = 0;
        char dash = 0;
        std::istringstream(line) >> std::hex >> start >> dash >> end;
        int fd = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return std::nullopt;
        std::vector<uint8_t> bytes(end - start);
        auto got = pread(fd, bytes.data(), bytes.size(), static_cast<off_t>(start));
        close(fd);
        if (got != static_cast<ssize_t>(bytes.size())) return std::nullopt;
        return bytes;
    }
    return std::nullopt;
}

// Whether the process's vDSO differs from this process's (a process of
// another architecture, whose image is another size, is not counted).
inline bool vdso_patched(int pid) {
    static const auto own = vdso_bytes(getpid());
    auto theirs = vdso_bytes(pid);
    return own && theirs && theirs->size() == own->size() && *theirs != *own;
}

inline std::vector<int> all_pids() {
    std::vector<int> pids;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") == std::string::npos)
            pids.push_back(std::stoi(name));
    }
    return pids;
}

// Every process on this machine whose clock functions are patched.
inline std::vector<int> processes_with_patched_vdso() {
    std::vector<int> found;
    for (int pid : all_pids()) {
        if (vdso_patched(pid)) found.push_back(pid);
    }
    return found;
}

// The tracer of a process (0: none).
inline int tracer_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("TracerPid:", 0) == 0) return std::stoi(line.substr(10));
    }
    return 0;
}

// Processes of this machine traced by a process that is not a debugger a
// person runs (gdb, strace): what a clock fault would leave if it kept its
// ptrace attachment.
inline std::vector<int> traced_processes() {
    std::vector<int> found;
    for (int pid : all_pids()) {
        int tracer = tracer_of(pid);
        if (tracer == 0) continue;
        std::ifstream comm("/proc/" + std::to_string(tracer) + "/comm");
        std::string name;
        std::getline(comm, name);
        if (name != "gdb" && name != "strace") found.push_back(pid);
    }
    return found;
}

}  // namespace atomixtest::testing
