#include "shaping.hpp"

#include <algorithm>

namespace atomixtest::net {

bool Shaping::empty() const {
    return all.empty() && std::all_of(peers.begin(), peers.end(),
                                      [](const PeerShaping& peer) { return peer.own.empty(); });
}

NetemSpec Shaping::for_peer(const PeerShaping& peer) const {
    return overlay(all, peer.own);
}

NetemSpec& Shaping::own(int node, const std::string& ip, const std::string& own_ip) {
    auto at = std::lower_bound(peers.begin(), peers.end(), node,
                               [](const PeerShaping& peer, int id) { return peer.node < id; });
    if (at == peers.end() || at->node != node) at = peers.insert(at, {node, ip, own_ip, {}});
    return at->own;
}

void Shaping::prune() {
    peers.erase(std::remove_if(peers.begin(), peers.end(),
                               [](const PeerShaping& peer) { return peer.own.empty(); }),
                peers.end());
}

bool Shaping::needs_daemon() const {
    bool every_peer = false;
    return !daemon_addresses(every_peer).empty() || every_peer;
}

std::vector<std::string> Shaping::daemon_addresses(bool& every_peer) const {
    every_peer = !user_part(all, kernel).empty();
    std::vector<std::string> addresses;
    if (every_peer) return addresses;
    for (const auto& peer : peers) {
        if (user_part(for_peer(peer), kernel).empty()) continue;
        addresses.push_back(peer.ip);
        if (!peer.own_ip.empty()) addresses.push_back(peer.own_ip);
    }
    return addresses;
}

nlohmann::json Shaping::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& peer : peers) {
        nlohmann::json entry = {{"node", peer.node}, {"ip", peer.ip}, {"own", peer.own.to_json()}};
        if (!peer.own_ip.empty()) entry["own_ip"] = peer.own_ip;
        list.push_back(entry);
    }
    return {{"all", all.to_json()},
            {"peers", list},
            {"kernel", {{"netem", kernel.netem}, {"rate", kernel.rate}}},
            {"seed", seed}};
}

Shaping Shaping::from_json(const nlohmann::json& json) {
    Shaping shaping;
    if (!json.contains("all")) {
        shaping.all = NetemSpec::from_json(json);
        shaping.seed = shaping.all.seed;
        return shaping;
    }
    shaping.all = NetemSpec::from_json(json.at("all"));
    for (const auto& peer : json.at("peers")) {
        shaping.peers.push_back({peer.at("node"), peer.at("ip"),
                                 peer.value("own_ip", std::string()),
                                 NetemSpec::from_json(peer.at("own"))});
    }
    const auto& kernel = json.at("kernel");
    shaping.kernel = {kernel.at("netem"), kernel.at("rate")};
    shaping.seed = json.at("seed");
    return shaping;
}

}  // namespace atomixtest::net
