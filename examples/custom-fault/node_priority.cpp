#include "node_priority.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "atomixtest/error.hpp"

namespace priority_fault {

namespace fs = std::filesystem;

namespace {

// The fields of a /proc stat file after "PID (COMM)": COMM may hold spaces
// and parentheses, so they start after the last ')'. [0] is the state, [1]
// the parent, [16] the niceness (fields 3, 4 and 19 of proc(5)). Empty when
// the process or thread is gone.
std::vector<std::string> stat_fields(const fs::path& stat) {
    std::ifstream in(stat);
    std::stringstream text;
    text << in.rdbuf();
    auto line = text.str();
    auto close = line.rfind(')');
    if (close == std::string::npos) return {};
    std::istringstream rest(line.substr(close + 1));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;) fields.push_back(field);
    return fields;
}

constexpr size_t kParentField = 1;
constexpr size_t kNiceField = 16;

std::optional<int> field_of(const fs::path& stat, size_t index) {
    auto fields = stat_fields(stat);
    if (fields.size() <= index) return std::nullopt;
    return std::stoi(fields[index]);
}

fs::path proc(int pid) {
    return fs::path("/proc") / std::to_string(pid);
}

bool is_number(const std::string& name) {
    return !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::vector<int> process_tree(int pid) {
    std::multimap<int, int> children;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (!is_number(name)) continue;
        if (auto parent = field_of(entry.path() / "stat", kParentField)) {
            children.emplace(*parent, std::stoi(name));
        }
    }
    if (!fs::exists(proc(pid))) return {};
    std::vector<int> tree = {pid};
    for (size_t next = 0; next < tree.size(); ++next) {
        auto [first, last] = children.equal_range(tree[next]);
        for (auto it = first; it != last; ++it) tree.push_back(it->second);
    }
    return tree;
}

std::vector<ThreadNice> niceness_of_tree(int pid) {
    std::vector<ThreadNice> threads;
    for (int process : process_tree(pid)) {
        std::error_code error;
        for (const auto& task : fs::directory_iterator(proc(process) / "task", error)) {
            auto name = task.path().filename().string();
            if (!is_number(name)) continue;
            if (auto nice = field_of(task.path() / "stat", kNiceField)) {
                threads.push_back({process, std::stoi(name), *nice});
            }
        }
    }
    return threads;
}

std::optional<int> nice_of(int pid) {
    return field_of(proc(pid) / "stat", kNiceField);
}

std::optional<int> parent_nice_of(int pid) {
    auto parent = field_of(proc(pid) / "stat", kParentField);
    if (!parent || *parent <= 0) return std::nullopt;
    return nice_of(*parent);
}

ReniceOutcome renice_tree(int pid, int nice) {
    constexpr int kPasses = 10;
    for (int pass = 0; pass < kPasses; ++pass) {
        bool changed = false;
        for (const auto& thread : niceness_of_tree(pid)) {
            if (thread.nice == nice) continue;
            changed = true;
            if (setpriority(PRIO_PROCESS, static_cast<id_t>(thread.tid), nice) == 0) continue;
            if (errno == ESRCH) continue;  // it ended: nothing left to renice
            throw atomixtest::environment_error("cannot renice " + describe(thread) + " to " +
                                                std::to_string(nice) + ": " + std::strerror(errno) +
                                                " (a higher priority needs CAP_SYS_NICE)");
        }
        if (!changed) break;
    }
    // The check is a read of its own, after the last change: what the kernel
    // shows, not what setpriority answered.
    ReniceOutcome outcome;
    std::set<int> processes;
    for (const auto& thread : niceness_of_tree(pid)) {
        (thread.nice == nice ? outcome.at : outcome.elsewhere).push_back(thread);
        processes.insert(thread.pid);
    }
    outcome.processes = processes.size();
    return outcome;
}

std::string describe(const ThreadNice& thread) {
    return "thread " + std::to_string(thread.tid) + " of process " + std::to_string(thread.pid) +
           " at nice " + std::to_string(thread.nice);
}

}  // namespace priority_fault
