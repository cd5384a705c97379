#include "pod_processes.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace atomixtest::kube {

namespace {

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

// How a pod's UID appears in its processes' cgroup paths: pod<UID> under
// the cgroupfs driver, pod<UID with _ for -> under systemd's.
std::vector<std::string> pod_marks(const std::string& uid) {
    auto underscored = uid;
    std::replace(underscored.begin(), underscored.end(), '-', '_');
    return {"pod" + uid, "pod" + underscored};
}

std::string command_of(int pid) {
    auto text = read_text("/proc/" + std::to_string(pid) + "/comm");
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

}  // namespace

std::map<std::string, std::vector<int>> processes_of_pods(const std::vector<std::string>& uids) {
    std::map<std::string, std::vector<int>> found;
    std::vector<std::pair<std::string, std::string>> marks;  // uid, its mark in a cgroup path
    for (const auto& uid : uids) {
        if (uid.empty()) continue;
        for (auto& mark : pod_marks(uid)) marks.emplace_back(uid, std::move(mark));
        found[uid];
    }
    if (marks.empty()) return found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        auto text = read_text(entry.path() / "cgroup");
        for (const auto& [uid, mark] : marks) {
            if (text.find(mark) != std::string::npos) {
                found[uid].push_back(std::stoi(name));
                break;
            }
        }
    }
    for (auto& [uid, pids] : found) std::sort(pids.begin(), pids.end());
    return found;
}

int sandbox_or_first(const std::vector<int>& pids) {
    for (int pid : pids) {
        if (command_of(pid) == "pause") return pid;
    }
    return pids.empty() ? 0 : pids.front();
}

bool in_pod(int pid, const std::string& pod_uid) {
    if (pod_uid.empty()) return false;
    auto text = read_text("/proc/" + std::to_string(pid) + "/cgroup");
    for (const auto& mark : pod_marks(pod_uid)) {
        if (text.find(mark) != std::string::npos) return true;
    }
    return false;
}

int container_main_pid(const std::vector<int>& pids) {
    for (int pid : pids) {
        if (command_of(pid) == "pause") continue;
        std::istringstream lines(read_text("/proc/" + std::to_string(pid) + "/status"));
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("NSpid:", 0) != 0) continue;
            auto last = line.substr(line.find_last_of(" \t") + 1);
            if (last == "1") return pid;
        }
    }
    return 0;
}

bool container_frozen(const std::vector<int>& pids) {
    for (int pid : pids) {
        if (command_of(pid) == "pause") continue;
        std::istringstream lines(read_text("/proc/" + std::to_string(pid) + "/cgroup"));
        for (std::string line; std::getline(lines, line);) {
            auto at = line.find(":freezer:");
            if (at == std::string::npos) continue;
            auto state =
                read_text("/sys/fs/cgroup/freezer" + line.substr(at + 9) + "/freezer.state");
            if (state.rfind("FROZEN", 0) == 0 || state.rfind("FREEZING", 0) == 0) return true;
        }
    }
    return false;
}

}  // namespace atomixtest::kube
