// Who leads an etcd cluster, asked of each member's status directly (not
// through the framework's own leader oracle), so that tests of the `leader`
// selector have an independent witness.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "atomixtest/http.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {

// A member's own id and the leader it knows, as etcd's status says (its
// header's member_id and its `leader`), or nullopt when it does not answer.
struct MemberStatus {
    std::string self;
    std::string leader;
};
inline std::optional<MemberStatus> member_status(int port) {
    try {
        auto response = http_request(
            {.method = "POST",
             .url = "http://127.0.0.1:" + std::to_string(port) + "/v3/maintenance/status",
             .body = "{}",
             .timeout = std::chrono::milliseconds(700)});
        if (response.status != 200) return std::nullopt;
        auto json = nlohmann::json::parse(response.body);
        return MemberStatus{json["header"]["member_id"].get<std::string>(),
                            json.value("leader", std::string("0"))};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// The node every answering member names as leader, found independently of
// the framework's own oracle; 0 until they agree.
inline int leader_by_status(const std::string& cluster, int nodes,
                            std::chrono::milliseconds patience = std::chrono::seconds(15)) {
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < deadline) {
        std::map<std::string, int> node_of_member;
        std::set<std::string> named;
        for (int id = 1; id <= nodes; ++id) {
            auto status = member_status(local_port(cluster, id));
            if (!status) continue;
            node_of_member[status->self] = id;
            named.insert(status->leader);
        }
        if (named.size() == 1 && node_of_member.count(*named.begin())) {
            return node_of_member[*named.begin()];
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return 0;
}

}  // namespace atomixtest::testing
