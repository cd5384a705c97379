// The linearizability checker: does some order of the history's operations,
// each placed between its invocation and its completion, satisfy the model?
// Wing & Gong's search with Lowe's just-in-time linearization and a cache of
// (linearized set, state) pairs, as in Porcupine; histories with keys are
// split by key (P-compositionality) and the keys checked in parallel.
//
// `fail` operations are left out (they did not happen); `info` operations may
// take effect at any point after their invocation, or never (they complete at
// +infinity); an `info` read is left out (it has no effect).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/history.hpp"

namespace atomixtest {

// register: read, write. cas-register: read, write, cas [old new].
// kv (per key): get, put, append (concatenates strings), and remove, cas [old new].
// counter: read, add (and write). set: add, read (of the whole set).
enum class Model { Register, CasRegister, Kv, Counter, Set };

const char* to_string(Model model);
Model model_named(std::string_view name);  // throws Error(BadInput) listing the models

enum class Verdict { Linearizable, NotLinearizable, Unknown };
const char* to_string(Verdict verdict);  // "linearizable", "not linearizable", "unknown"

// Why a key (or a whole history) was left undecided.
enum class Undecided {
    No,           // decided
    Unsearched,   // another key was proved not linearizable before its search began
    Stopped,      // ... while it was being searched (verdict first, without all_keys)
    Timeout,      // the timeout passed first
    MemoryLimit,  // its search, or the history itself, did not fit in the memory limit
    Interrupted,  // Ctrl-C, SIGTERM or SIGHUP
};
// "decided", "unsearched", "stopped", "timeout", "memory limit", "interrupted"
const char* to_string(Undecided undecided);

struct CheckOptions {
    Model model = Model::Register;
    nlohmann::json initial;  // every register's / key's initial value; null: unset
    std::chrono::milliseconds timeout{60000};
    unsigned threads = 0;  // 0: every core
    // What the check may hold in memory (the history read, the searches,
    // the failing windows) before a key, or the history, is left undecided;
    // 0: a quarter of the machine's memory.
    size_t memory_limit = 0;
    // The verdict first: once a key is proved not linearizable, the others'
    // searches stop (undecided: unsearched or stopped). With all_keys every
    // key is decided and explained, within the timeout.
    bool all_keys = false;
    // The failing window of a key is shrunk for at most this long (within
    // the timeout); the verdict does not wait for more.
    std::chrono::milliseconds window_time{10000};
    std::string source = "history";  // named in error messages
};

// One operation as the report shows it: its invocation and its completion.
struct CheckedOperation {
    int64_t process = 0;
    std::string f;
    std::optional<std::string> key;
    nlohmann::json value;            // the invocation's argument
    nlohmann::json result;           // the completion's value (null for info)
    EventType type = EventType::Ok;  // Ok or Info
    int64_t invoke_ns = 0;
    int64_t complete_ns = 0;
    uint32_t invoke_line = 0;
    uint32_t complete_line = 0;  // 0: never completed (info)
};

// The smallest set of operations found that cannot be linearized after the
// longest linearizable prefix found: the anomaly, in a few lines.
struct FailingWindow {
    size_t prefix_length = 0;                   // operations linearized before the window
    std::vector<CheckedOperation> prefix_tail;  // the last few of them, in order
    nlohmann::json state;                       // the model's state after the prefix
    std::vector<CheckedOperation> operations;   // cannot be linearized from that state
};

struct KeyResult {
    std::optional<std::string> key;  // absent for a history without keys
    Verdict verdict = Verdict::Linearizable;
    Undecided undecided = Undecided::No;  // why, when the verdict is Unknown
    size_t operations = 0;
    uint64_t steps = 0;                   // configurations its search tried
    std::optional<FailingWindow> window;  // when not linearizable
};

struct CheckResult {
    Verdict verdict = Verdict::Linearizable;
    Model model = Model::Register;
    size_t operations = 0;  // checked (fail operations and info reads left out)
    std::vector<KeyResult> keys;
    // The history as a whole undecided (not read whole: its operations did
    // not fit in the memory limit, or Ctrl-C); keys is then empty.
    Undecided undecided = Undecided::No;
    std::string undecided_detail;  // what was read when it stopped
    std::chrono::duration<double> elapsed{0};
    std::chrono::duration<double> verdict_after{0};  // when the verdict was known
};

// Throws Error(BadInput) naming source:line:column for a completion without an
// invocation, an operation the model does not know, or a value of the wrong shape.
CheckResult check_history(const History& history, const CheckOptions& options);
// Reads and checks in one pass, without holding the events in memory.
CheckResult check_history_file(const std::filesystem::path& path, HistoryFormat format,
                               CheckOptions options);

// {"verdict", "valid", "model", "operations", "elapsed_s", "verdict_s",
//  "keys": [{"key", "verdict", "decided", "reason", "operations"}],
//  "failing": [{"key", "prefix_length", "prefix_tail", "state", "operations"}]}
nlohmann::json to_json(const CheckResult& result);
// The verdict line, a summary of the keys and each failing window as a table.
std::string format_check_result(const CheckResult& result);

}  // namespace atomixtest
