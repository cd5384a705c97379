#include "atomixtest/membership.hpp"

#include <optional>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"

namespace atomixtest {

namespace {

// One round over the running servers (other than `except`): the first 2xx
// reply, or nothing. A 4xx goes to `refusal`, anything else to `errors`.
std::optional<nlohmann::json> try_members(const MembershipRequest& request, const std::string& body,
                                          const std::vector<NodeInfo>& members, int except,
                                          std::string& errors, std::string& refusal) {
    errors.clear();
    refusal.clear();
    for (const auto& member : members) {
        if (member.id == except || member.status != NodeStatus::Running ||
            member.type != NodeType::Server) {
            continue;
        }
        try {
            auto reply = http_request(
                {.method = request.method,
                 .url = "http://127.0.0.1:" + std::to_string(member.local_port) + request.path,
                 .body = body,
                 .timeout = std::chrono::seconds(10)});
            if (reply.status >= 200 && reply.status < 300) {
                auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
                return parsed.is_discarded() ? nlohmann::json() : parsed;
            }
            auto said = "node " + std::to_string(member.id) + ": HTTP " +
                        std::to_string(reply.status) + " " + reply.body.substr(0, 200);
            if (reply.status >= 400 && reply.status < 500) {
                refusal = said;
            } else {
                errors += "; " + said;
            }
        } catch (const Error& error) {
            errors += "; node " + std::to_string(member.id) + ": " + error.what();
        }
    }
    return std::nullopt;
}

// A cluster that has just started may refuse a membership change for a while
// (etcd wants its members connected for 5 s first), and one whose membership
// just changed may too (etcd answers an add right after a remove with "member
// not found" until the removal is applied): try again until then. A refusal
// that lasts 5 s is final.
nlohmann::json send_to_a_member(const MembershipRequest& request, const TemplateValues& values,
                                const std::vector<NodeInfo>& members, int except) {
    auto body = render_template(request.body, values);
    auto started = std::chrono::steady_clock::now();
    auto deadline = started + std::chrono::seconds(30);
    std::string errors, refusal;
    while (true) {
        if (auto reply = try_members(request, body, members, except, errors, refusal)) {
            return *reply;
        }
        if (!refusal.empty() &&
            std::chrono::steady_clock::now() > started + std::chrono::seconds(5)) {
            throw bad_input(request.method + " " + request.path + " was refused: " + refusal);
        }
        if (std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    throw Error(ErrorKind::Unavailable, request.method + " " + request.path +
                                            " was accepted by no running member within 30 s" +
                                            errors);
}

}  // namespace

std::map<std::string, std::string> announce_join(const Profile& profile,
                                                 const std::vector<NodeInfo>& members,
                                                 const TemplateValues& new_node) {
    std::map<std::string, std::string> captured;
    if (profile.join.path.empty()) return captured;
    auto reply = send_to_a_member(profile.join, new_node, members, std::stoi(new_node.at("id")));
    for (const auto& [name, pointer] : profile.join.capture) {
        auto at = nlohmann::json::json_pointer(pointer);
        if (!reply.contains(at)) {
            throw Error(ErrorKind::Unavailable, "the reply to " + profile.join.path +
                                                    " has nothing at " + pointer + ": " +
                                                    reply.dump());
        }
        const auto& value = reply[at];
        captured[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    return captured;
}

void announce_leave(const Profile& profile, const std::string& cluster,
                    const std::vector<NodeInfo>& members, const NodeInfo& leaving,
                    const std::map<std::string, std::string>& captured) {
    if (profile.leave.path.empty() || captured.empty()) return;
    TemplateValues values = {{"cluster", cluster},
                             {"name", leaving.name},
                             {"id", std::to_string(leaving.id)},
                             {"ip", leaving.ip}};
    for (const auto& [key, value] : captured) values[key] = value;
    send_to_a_member(profile.leave, values, members, leaving.id);
}

}  // namespace atomixtest
