#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "atomixtest/process_tag.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

// "<state root>|<cluster>" of this state root, as process_tag writes it.
std::string our_tag_prefix() {
    auto tag = process_tag("");
    return tag.substr(tag.find('=') + 1);
}

std::string command_of(const fs::path& proc) {
    std::ifstream in(proc / "comm");
    std::string name;
    std::getline(in, name);
    return name;
}

}  // namespace

std::vector<TaggedProcess> tagged_processes() {
    const std::string variable = std::string(kProcessTagVariable) + "=";
    const std::string prefix = our_tag_prefix();
    std::vector<TaggedProcess> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "environ", std::ios::binary);
        std::string environment(std::istreambuf_iterator<char>(in), {});
        for (size_t at = 0; at < environment.size();) {
            auto end = environment.find('\0', at);
            if (end == std::string::npos) end = environment.size();
            std::string_view variable_entry(environment.data() + at, end - at);
            if (variable_entry.starts_with(variable)) {
                auto value = variable_entry.substr(variable.size());
                if (value.starts_with(prefix)) {
                    found.push_back({std::stoi(name), std::string(value.substr(prefix.size())),
                                     command_of(entry.path())});
                }
                break;
            }
            at = end + 1;
        }
    }
    return found;
}

void kill_processes_tagged_with(const std::string& cluster) {
    for (const auto& process : tagged_processes()) {
        if (process.cluster == cluster && process.pid != getpid()) kill(process.pid, SIGKILL);
    }
}

}  // namespace atomixtest
