#include "gc/garbage_collector.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/process_tag.hpp"
#include "session/cluster_claims.hpp"

namespace atomixtest {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Killed until none is left: a supervisor killed after its nodes could have
// started one again in between.
void kill_tagged_processes(const std::vector<std::string>& in_use, bool dry_run,
                           GarbageReport& report, std::ostream& out) {
    for (int round = 0; round < 5; ++round) {
        bool any = false;
        for (const auto& process : tagged_processes()) {
            if (contains(in_use, process.cluster)) continue;
            any = true;
            if (round == 0) {
                auto what = "process " + std::to_string(process.pid) + " (" + process.command +
                            ") of cluster " + process.cluster;
                out << (dry_run ? "would remove " : "removing ") << what << "\n";
                report.removed.push_back(what);
            }
            if (!dry_run) kill(process.pid, SIGKILL);
        }
        if (!any || dry_run) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

GarbageReport collect_garbage(Workspace& workspace, bool dry_run, std::ostream& out) {
    GarbageReport report;
    auto claims = all_claims();
    auto claim_of = [&claims](const std::string& backend, const std::string& cluster) {
        auto it = std::find_if(claims.begin(), claims.end(), [&](const ClusterClaim& claim) {
            return claim.backend == backend && claim.cluster == cluster;
        });
        return it == claims.end() ? nullptr : &*it;
    };
    auto say = [&](const std::string& what) {
        out << (dry_run ? "would remove " : "removing ") << what << "\n";
        report.removed.push_back(what);
    };

    // Clusters each backend lists: an abandoned one is torn down whole.
    std::vector<std::string> in_use;
    std::map<std::string, std::vector<std::string>> listed;
    for (const auto& backend_name : workspace.backend_names()) {
        std::shared_ptr<Backend> backend;
        try {
            backend = workspace.backend(backend_name);
            listed[backend_name] = backend->list();
        } catch (const Error& error) {
            // No engine on a machine that never ran docker clusters is normal;
            // a claim on that backend means clusters gc cannot reach.
            bool claimed = std::any_of(claims.begin(), claims.end(), [&](const auto& claim) {
                return claim.backend == backend_name;
            });
            if (claimed) {
                report.problems.push_back("backend " + backend_name + " did not answer (" +
                                          error.what() + "); its clusters were not looked at");
            }
            continue;
        }
        for (const auto& cluster : listed[backend_name]) {
            const auto* claim = claim_of(backend_name, cluster);
            auto reason = claim ? abandoned_because(*claim) : std::nullopt;
            if (!reason) {
                // The user's, a live runner's, or set up before claims: not ours to judge.
                in_use.push_back(cluster);
                report.kept.push_back(cluster + " (" + backend_name + ")");
                continue;
            }
            say("cluster " + cluster + " (" + backend_name + "): " + *reason);
            if (dry_run) continue;
            try {
                backend->teardown(cluster);
                drop_claim(backend_name, cluster);
            } catch (const Error& error) {
                report.problems.push_back("teardown of " + cluster + ": " + error.what());
            }
        }
    }
    // Claims of clusters no backend lists: a setup still starting (spared),
    // or one that died before its backend recorded anything (dropped).
    for (const auto& claim : claims) {
        auto it = listed.find(claim.backend);
        if (it != listed.end() && contains(it->second, claim.cluster)) continue;
        // A backend that did not answer: its clusters' state is unknown.
        if (!abandoned_because(claim) || it == listed.end()) {
            in_use.push_back(claim.cluster);
            continue;
        }
        say("claim of cluster " + claim.cluster + " (" + claim.backend + "), which has exited");
        if (!dry_run) drop_claim(claim.backend, claim.cluster);
    }

    kill_tagged_processes(in_use, dry_run, report, out);
    for (const auto& [backend_name, clusters] : listed) {
        try {
            for (const auto& what :
                 workspace.backend(backend_name)->remove_leftovers(in_use, dry_run)) {
                say(what);
            }
        } catch (const Error& error) {
            report.problems.push_back("leftovers of backend " + backend_name + ": " + error.what());
        }
    }
    for (const auto& problem : report.problems) out << "warning: " << problem << "\n";
    return report;
}

}  // namespace atomixtest
