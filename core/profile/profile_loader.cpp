#include "profile/profile_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <set>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "util/paths.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

// Directories given on the command line (--profiles DIR), searched first.
std::vector<fs::path>& user_profile_directories() {
    static std::vector<fs::path> directories;
    return directories;
}

}  // namespace

const char* const kProfileNamePattern = "^[a-z0-9][a-z0-9-]{0,63}$";

bool is_profile_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!allowed(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [&](char c) { return allowed(c) || c == '-'; });
}

void validate_profile_name(std::string_view name) {
    if (is_profile_name(name)) return;
    throw bad_input("invalid profile name '" + std::string(name) +
                    "': a profile is named, never a path (a-z, 0-9 and '-', e.g. "
                    "etcd-serializable); a profile of your own goes in a directory given with "
                    "--profiles DIR or ATOMIX_TEST_PROFILE_PATH");
}

void add_profile_directory(const fs::path& directory) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) {
        throw bad_input("--profiles " + directory.string() + ": not a directory");
    }
    user_profile_directories().push_back(fs::absolute(directory).lexically_normal());
}

std::vector<fs::path> profile_search_path() {
    auto path = user_profile_directories();
    auto rest = search_path("ATOMIX_TEST_PROFILE_PATH", "profiles", "share/atomix-test/profiles");
    path.insert(path.end(), rest.begin(), rest.end());
    return path;
}

// Only files named as a profile is: a file that no name can reach is no profile.
std::vector<std::string> available_profiles() {
    std::set<std::string> names;
    for (const auto& dir : profile_search_path()) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(dir, error)) {
            auto stem = entry.path().stem().string();
            if (entry.path().extension() == ".yaml" && is_profile_name(stem)) names.insert(stem);
        }
    }
    return {names.begin(), names.end()};
}

namespace {

std::chrono::milliseconds millis(const YAML::Node& node, std::chrono::milliseconds fallback) {
    if (!node) return fallback;
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        parse_duration(node.as<std::string>()));
}

ProbeRequest probe_request(const YAML::Node& node) {
    ProbeRequest request;
    request.method = node["method"].as<std::string>("GET");
    request.path = node["path"].as<std::string>("/");
    request.body = node["body"].as<std::string>("");
    request.expect_status = node["status"].as<int>(200);
    return request;
}

MembershipRequest membership_request(const YAML::Node& node) {
    MembershipRequest request;
    if (!node) return request;
    request.method = node["method"].as<std::string>("POST");
    request.path = node["path"].as<std::string>();
    request.body = node["body"].as<std::string>("");
    if (node["capture"]) {
        request.capture = node["capture"].as<std::map<std::string, std::string>>();
    }
    return request;
}

// The one place a name becomes a file: only a name, only in the profile directories.
std::optional<fs::path> profile_file(const std::string& name) {
    validate_profile_name(name);
    for (const auto& dir : profile_search_path()) {
        auto file = dir / (name + ".yaml");
        if (fs::exists(file)) return file;
    }
    return std::nullopt;
}

// A profile with `extends: BASE` is BASE with the keys it names replaced, so
// that a variant (etcd with serializable reads) states only what differs.
YAML::Node load_profile_yaml(const fs::path& file, int depth) {
    auto root = YAML::LoadFile(file.string());
    if (!root["extends"]) return root;
    auto base_name = root["extends"].as<std::string>();
    if (!is_profile_name(base_name)) {
        throw bad_input(file.string() + ": extends '" + base_name +
                        "', which is not a profile name (a-z, 0-9 and '-')");
    }
    auto base_file = profile_file(base_name);
    if (!base_file) {
        throw bad_input(file.string() + ": extends unknown profile '" + base_name + "'");
    }
    if (depth > 8) throw bad_input(file.string() + ": extends profiles in a cycle");
    auto merged = YAML::Clone(load_profile_yaml(*base_file, depth + 1));
    for (const auto& entry : root) {
        auto key = entry.first.as<std::string>();
        if (key != "extends") merged[key] = entry.second;
    }
    return merged;
}

}  // namespace

Profile parse_profile(const fs::path& file) {
    try {
        auto root = load_profile_yaml(file, 0);
        Profile profile;
        profile.name = root["name"].as<std::string>();
        profile.description = root["description"].as<std::string>("");
        profile.client = root["client"].as<std::string>();
        profile.type = root["type"].as<std::string>("server") == "client" ? NodeType::Client
                                                                          : NodeType::Server;
        profile.client_port = root["client_port"].as<int>();
        profile.command = root["command"].as<std::vector<std::string>>();
        if (profile.command.empty()) throw bad_input(file.string() + ": command is empty");
        if (root["env"]) profile.env = root["env"].as<std::map<std::string, std::string>>();
        if (root["member"]) {
            profile.lists["members"] = {root["member"].as<std::string>(),
                                        root["member_separator"].as<std::string>(",")};
        }
        for (const auto& entry : root["lists"]) {
            profile.lists[entry.first.as<std::string>()] = {
                entry.second["item"].as<std::string>(),
                entry.second["separator"].as<std::string>(",")};
        }
        if (root["client_options"]) {
            profile.client_options =
                root["client_options"].as<std::map<std::string, std::string>>();
        }
        if (root["values"]) {
            profile.values = root["values"].as<std::map<std::string, std::string>>();
        }
        if (root["files"]) {
            profile.files = root["files"].as<std::map<std::string, std::string>>();
        }
        for (const auto& entry : root["host_paths"]) {
            HostPath path;
            path.executable = entry.second["executable"].as<std::string>("");
            path.up = entry.second["up"].as<int>(0);
            path.file = entry.second["file"].as<std::string>("");
            path.in = entry.second["in"].as<std::string>("");
            path.hint = entry.second["hint"].as<std::string>("");
            if (path.executable.empty() == path.file.empty() ||
                (!path.file.empty() && path.in != "java" && path.in != "cache")) {
                throw bad_input(file.string() + ": host_paths." + entry.first.as<std::string>() +
                                " needs `executable`, or `file` with `in` one of java, cache");
            }
            profile.host_paths[entry.first.as<std::string>()] = path;
        }
        if (root["peer_ports"]) profile.peer_ports = root["peer_ports"].as<std::vector<int>>();
        profile.stop_grace = millis(root["stop_grace"], profile.stop_grace);
        if (auto ready = root["ready"]) {
            static_cast<ProbeRequest&>(profile.ready) = probe_request(ready);
            for (const auto& step : ready["then"])
                profile.ready.then.push_back(probe_request(step));
            profile.ready.timeout = millis(ready["timeout"], profile.ready.timeout);
        }
        if (auto lead = root["lead_first"]) {
            profile.lead_first.port = lead["port"].as<int>();
            profile.lead_first.path = lead["path"].as<std::string>("/");
            profile.lead_first.timeout = millis(lead["timeout"], profile.lead_first.timeout);
        }
        if (auto image = root["image"]) {
            profile.image.name = image["name"].as<std::string>("");
            profile.image.family = image["family"].as<std::string>(profile.name);
            if (image["host_files"]) {
                profile.image.host_files = image["host_files"].as<std::vector<std::string>>();
            }
        }
        if (auto disk = root["disk"]) profile.lazy_disk = disk["lazy"].as<bool>(false);
        if (auto leader = root["leader"]) {
            static_cast<ProbeRequest&>(profile.leader) = probe_request(leader);
            profile.leader.self = leader["self"].as<std::string>();
            profile.leader.leader = leader["leader"].as<std::string>();
        }
        profile.join = membership_request(root["join"]);
        profile.leave = membership_request(root["leave"]);
        return profile;
    } catch (const YAML::Exception& error) {
        throw bad_input(file.string() + ":" + std::to_string(error.mark.line + 1) + ":" +
                        std::to_string(error.mark.column + 1) + ": invalid profile: " + error.msg);
    }
}

Profile load_profile(const std::string& name) {
    validate_profile_name(name);
    if (auto file = profile_file(name)) return parse_profile(*file);
    std::string known;
    for (const auto& candidate : available_profiles()) {
        known += (known.empty() ? "" : ", ") + candidate;
    }
    throw not_found("unknown profile '" + name + "' (available: " +
                    (known.empty() ? "none found on the profile path" : known) + ")");
}

}  // namespace atomixtest
