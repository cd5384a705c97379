#include "session/cluster_claims.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"
#include "util/paths.hpp"
#include "util/private_dir.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

fs::path claims_dir() {
    return state_root() / "claims";
}

fs::path claim_path(const std::string& backend, const std::string& cluster) {
    return claims_dir() / backend / (cluster + ".json");
}

// Writes the claim; a new claim only where none exists (false if one does).
bool write_claim(const ClusterClaim& claim, bool replace) {
    auto path = claim_path(claim.backend, claim.cluster);
    make_state_directory(path.parent_path());
    nlohmann::json json = {
        {"backend", claim.backend}, {"cluster", claim.cluster}, {"user", claim.user}};
    if (!claim.user) {
        json["pid"] = claim.owner.pid;
        json["start_time"] = claim.owner.start_time;
    }
    // Written aside, then renamed or linked into place: gc never reads half a
    // claim, and of two processes claiming one name only one succeeds.
    auto temporary = path;
    temporary += ".tmp" + std::to_string(getpid());
    std::ofstream(temporary) << json.dump() << "\n";
    if (replace) {
        fs::rename(temporary, path);
        return true;
    }
    bool linked = link(temporary.c_str(), path.c_str()) == 0;
    fs::remove(temporary);
    return linked;
}

std::optional<ClusterClaim> claim_from_file(const fs::path& path) {
    std::ifstream in(path);
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    ClusterClaim claim;
    claim.backend = json.value("backend", std::string());
    claim.cluster = json.value("cluster", std::string());
    claim.user = json.value("user", false);
    claim.owner.pid = json.value("pid", 0);
    claim.owner.start_time = json.value("start_time", uint64_t{0});
    return claim;
}

}  // namespace

std::optional<ProcessIdentity> ProcessIdentity::of(int pid) {
    auto fields = proc_stat_fields(pid);
    // After the name: state is the first field, start time the 20th.
    if (!fields || fields->size() < 20) return std::nullopt;
    return ProcessIdentity{pid, std::stoull((*fields)[19])};
}

ProcessIdentity ProcessIdentity::of_this_process() {
    return *of(getpid());
}

bool ProcessIdentity::alive() const {
    if (pid <= 0) return false;
    auto fields = proc_stat_fields(pid);
    if (!fields || fields->size() < 20) return false;
    return (*fields)[0] != "Z" && std::stoull((*fields)[19]) == start_time;
}

void claim_cluster(const std::string& backend, const std::string& cluster) {
    if (write_claim({backend, cluster, false, ProcessIdentity::of_this_process()}, false)) return;
    auto held = read_claim(backend, cluster);
    auto reason = held ? abandoned_because(*held) : std::nullopt;
    throw bad_input("a cluster named " + cluster + " already exists on backend " + backend +
                    (reason ? " (" + *reason + "); run `atomix-test gc` to remove it"
                            : "; tear it down or choose another name"));
}

void take_claim(const std::string& backend, const std::string& cluster) {
    write_claim({backend, cluster, false, ProcessIdentity::of_this_process()}, true);
}

void hand_cluster_to_user(const std::string& backend, const std::string& cluster) {
    write_claim({backend, cluster, true, {}}, true);
}

void drop_claim(const std::string& backend, const std::string& cluster) {
    std::error_code ignored;
    fs::remove(claim_path(backend, cluster), ignored);
}

std::optional<ClusterClaim> read_claim(const std::string& backend, const std::string& cluster) {
    return claim_from_file(claim_path(backend, cluster));
}

std::vector<ClusterClaim> all_claims() {
    std::vector<ClusterClaim> claims;
    std::error_code error;
    for (const auto& backend : fs::directory_iterator(claims_dir(), error)) {
        for (const auto& file : fs::directory_iterator(backend.path(), error)) {
            if (file.path().extension() != ".json") continue;
            if (auto claim = claim_from_file(file.path())) claims.push_back(*claim);
        }
    }
    return claims;
}

std::optional<std::string> abandoned_because(const ClusterClaim& claim) {
    if (claim.user || claim.owner.alive()) return std::nullopt;
    return "its owner, process " + std::to_string(claim.owner.pid) + ", has exited";
}

}  // namespace atomixtest
