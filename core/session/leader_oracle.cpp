#include "session/leader_oracle.hpp"

#include <future>
#include <map>
#include <optional>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"

namespace atomixtest {

namespace {

// One server's answer: the names it gives itself and its leader, as JSON text
// (etcd writes its uint64 ids as strings, Atomix its member names).
struct LeaderAnswer {
    int node = 0;
    std::string self;
    std::string leader;
    std::string error;
};

std::string value_at(const nlohmann::json& reply, const std::string& pointer) {
    auto at = nlohmann::json::json_pointer(pointer);
    if (!reply.contains(at) || reply.at(at).is_null()) return {};
    const auto& value = reply.at(at);
    return value.is_string() ? value.get<std::string>() : value.dump();
}

LeaderAnswer ask_one(const LeaderQuery& query, const NodeInfo& node) {
    LeaderAnswer answer{node.id, {}, {}, {}};
    try {
        auto reply =
            http_request({.method = query.method,
                          .url = "http://127.0.0.1:" + std::to_string(node.local_port) + query.path,
                          .body = query.body,
                          .timeout = std::chrono::milliseconds(700)});
        if (reply.status != query.expect_status) {
            answer.error = "HTTP " + std::to_string(reply.status);
            return answer;
        }
        auto json = nlohmann::json::parse(reply.body, nullptr, false);
        if (json.is_discarded()) {
            answer.error = "not JSON";
            return answer;
        }
        answer.self = value_at(json, query.self);
        answer.leader = value_at(json, query.leader);
        // etcd says 0 while it has no leader.
        if (answer.leader == "0") answer.leader.clear();
        if (answer.leader.empty()) answer.error = "no leader";
    } catch (const std::exception& error) {
        answer.error = error.what();
    }
    return answer;
}

std::vector<LeaderAnswer> ask_all(const LeaderQuery& query, const ClusterInfo& cluster) {
    std::vector<std::future<LeaderAnswer>> pending;
    for (const auto& node : cluster.nodes) {
        if (node.type != NodeType::Server || node.status != NodeStatus::Running) continue;
        pending.push_back(std::async(std::launch::async, ask_one, query, node));
    }
    std::vector<LeaderAnswer> answers;
    for (auto& each : pending) answers.push_back(each.get());
    return answers;
}

// The node that more than half of the servers name, if it answered for itself.
std::optional<int> agreed_leader(const std::vector<LeaderAnswer>& answers, size_t servers) {
    std::map<std::string, size_t> votes;
    std::map<std::string, int> node_named;
    for (const auto& answer : answers) {
        if (!answer.self.empty()) node_named[answer.self] = answer.node;
        if (!answer.leader.empty()) ++votes[answer.leader];
    }
    for (const auto& [leader, count] : votes) {
        if (count * 2 > servers && node_named.count(leader)) return node_named[leader];
    }
    return std::nullopt;
}

std::string describe(const std::vector<LeaderAnswer>& answers) {
    std::string said;
    for (const auto& answer : answers) {
        said += (said.empty() ? "" : "; ") + std::string("node ") + std::to_string(answer.node) +
                ": " + (answer.error.empty() ? "leader " + answer.leader : answer.error);
    }
    return said.empty() ? "no server is running" : said;
}

}  // namespace

int ask_leader(const Profile& profile, const ClusterInfo& cluster,
               std::chrono::milliseconds patience) {
    if (profile.leader.self.empty()) {
        throw bad_input("the profile " + profile.name +
                        " says nothing of how to find the leader (its `leader:` request), so "
                        "`leader` and `followers` cannot be used on " +
                        cluster.name);
    }
    size_t servers = 0;
    for (const auto& node : cluster.nodes) servers += node.type == NodeType::Server ? 1 : 0;
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (true) {
        auto answers = ask_all(profile.leader, cluster);
        if (auto leader = agreed_leader(answers, servers)) return *leader;
        if (std::chrono::steady_clock::now() >= deadline) {
            throw Error(ErrorKind::Unavailable,
                        "no leader that most of " + cluster.name + "'s servers agree on within " +
                            std::to_string(patience.count()) + " ms (" + describe(answers) + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace atomixtest
