// What disk.error and disk.delay ask of a node's FUSE daemon: rules that match
// I/O calls by the path they touch and the kind of call, and fail them with
// an errno or hold them for a while. The plugin writes them, the daemon reads
// them (over its control socket, as JSON) and applies them to every call.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace atomixtest::disk {

// The kinds of I/O call a rule names. One table, read by the verbs'
// declarations (their choices), the daemon (which call is which) and the
// summaries.
enum class IoOp : uint32_t {
    Open = 1u << 0,      // open, opendir
    Create = 1u << 1,    // create, mknod, symlink, link
    Read = 1u << 2,      // read, readlink
    Write = 1u << 3,     // write
    Fsync = 1u << 4,     // fsync, fdatasync, fsync of a directory
    Truncate = 1u << 5,  // truncate, ftruncate, open with O_TRUNC
    Fallocate = 1u << 6,
    Mkdir = 1u << 7,
    Unlink = 1u << 8,
    Rmdir = 1u << 9,
    Rename = 1u << 10,
    Stat = 1u << 11,  // getattr, access, statfs
    Readdir = 1u << 12,
};

struct IoOpName {
    IoOp op;
    const char* name;
};
extern const IoOpName kIoOpNames[13];

// "write,fsync" or ["write", "fsync"] (absent or empty: every kind) as a mask.
uint32_t io_ops_mask(const nlohmann::json& ops);
std::vector<std::string> io_op_names(uint32_t mask);
const char* io_op_name(IoOp op);

// The errnos disk.error can answer with, by name.
struct ErrnoName {
    const char* name;
    int value;
};
extern const ErrnoName kErrnoNames[10];
std::optional<int> errno_named(const std::string& name);
std::string errno_name(int value);

struct IoRule {
    std::string path = "*";  // glob over the path inside the data dir ("member/wal/*")
    uint32_t ops = 0;        // IoOp bits; 0: every kind
    double probability = 1;  // of each matching call
    int error = 0;           // errno to fail with (0: none, a delay rule)
    std::chrono::microseconds latency{0};
    std::chrono::microseconds jitter{0};  // uniform in [-jitter, +jitter], never below 0

    bool matches(IoOp op, const std::string& relative_path) const;
    nlohmann::json to_json() const;
    static IoRule from_json(const nlohmann::json& json);
    std::string summary() const;  // "EIO on write,fsync of member/wal/* (10%)"
};

// A call's fate under the rules: how long to hold it, then the errno to fail
// it with (0: let it run). The rules are drawn in order, each with its own
// chance, from one generator seeded by the plugin, so a replay draws alike.
struct IoFate {
    std::chrono::microseconds delay{0};
    int error = 0;
};

class IoRules {
  public:
    IoRules() = default;
    IoRules(std::vector<IoRule> rules, uint64_t seed) : rules_(std::move(rules)), random_(seed) {}
    bool empty() const { return rules_.empty(); }
    const std::vector<IoRule>& rules() const { return rules_; }
    // Not thread-safe: the daemon draws under its own lock.
    IoFate draw(IoOp op, const std::string& relative_path);

  private:
    std::vector<IoRule> rules_;
    std::mt19937_64 random_{1};
};

}  // namespace atomixtest::disk
