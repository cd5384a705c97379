#include "cluster_plan.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"
#include "util/port_forwarder.hpp"

namespace atomixtest::docker {

namespace {

constexpr const char* kDefaultSupernet = "10.89.0.0/16";

std::smatch match_or_throw(const std::string& text, const std::regex& form, const std::string& what,
                           const std::string& example) {
    std::smatch match;
    if (text.size() > 18 || !std::regex_match(text, match, form)) {
        throw bad_input("invalid " + what + " '" + text + "' (expected a form such as " + example +
                        ")");
    }
    for (size_t i = 1; i < match.size(); ++i) {
        if (match[i].matched && (match[i].length() > 3 || std::stoi(match[i].str()) > 255)) {
            throw bad_input("invalid " + what + " '" + text + "': " + match[i].str() +
                            " is not an address byte");
        }
    }
    return match;
}

std::set<std::string> subnets_in_use(EngineClient& engine) {
    std::set<std::string> used;
    for (const auto& network : engine.get("/networks")) {
        for (const auto& config : network["IPAM"].value("Config", nlohmann::json::array())) {
            used.insert(config.value("Subnet", ""));
        }
    }
    return used;
}

uint32_t ipv4_of(const std::string& dotted) {
    in_addr address{};
    inet_pton(AF_INET, dotted.c_str(), &address);
    return ntohl(address.s_addr);
}

std::string dotted(uint32_t address) {
    in_addr value{htonl(address)};
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &value, text, sizeof text);
    return text;
}

// A route of this machine (read, never written) that a /24 at `network`
// would overlap: Docker would then route the host's own traffic for that
// range (its LAN, a VPN) into the cluster's bridge. The default route is not
// an overlap. /proc/net/route's addresses are hex in network byte order.
std::optional<std::string> host_route_overlapping(uint32_t network) {
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line);  // the header
    while (std::getline(routes, line)) {
        std::istringstream fields(line);
        std::string interface, destination, gateway, flags, refs, use, metric, mask;
        if (!(fields >> interface >> destination >> gateway >> flags >> refs >> use >> metric >>
              mask)) {
            continue;
        }
        uint32_t route = ntohl(static_cast<uint32_t>(std::stoul(destination, nullptr, 16)));
        uint32_t route_mask = ntohl(static_cast<uint32_t>(std::stoul(mask, nullptr, 16)));
        if (route_mask == 0) continue;
        uint32_t common = route_mask & 0xFFFFFF00u;  // the shorter of the two prefixes
        if ((route & common) == (network & common)) {
            int bits = __builtin_popcount(route_mask);
            return dotted(route) + "/" + std::to_string(bits) + " on " + interface;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string node_ip(const std::string& subnet, int id) {
    return subnet.substr(0, subnet.rfind('.') + 1) + std::to_string(10 + id);
}

NetworkPlan plan_network(EngineClient& engine, const ClusterSpec& spec) {
    static const std::regex slash24(R"((\d+)\.(\d+)\.(\d+)\.0/24)");
    static const std::regex slash16(R"((\d+)\.(\d+)\.0\.0/16)");
    static const std::regex address(R"((\d+)\.(\d+)\.(\d+)\.(\d+))");
    NetworkPlan plan;
    if (!spec.subnet.empty()) {
        match_or_throw(spec.subnet, slash24, "subnet", "10.89.3.0/24 (a /24)");
        if (auto route =
                host_route_overlapping(ipv4_of(spec.subnet.substr(0, spec.subnet.find('/'))))) {
            throw bad_input("subnet " + spec.subnet + " overlaps this machine's route " + *route +
                            ": the cluster would capture the host's own traffic; choose another");
        }
        plan.subnet = spec.subnet;
    } else {
        auto supernet = spec.supernet.empty() ? kDefaultSupernet : spec.supernet;
        auto match = match_or_throw(supernet, slash16, "supernet", "10.89.0.0/16 (a /16)");
        auto used = subnets_in_use(engine);
        for (int third = 0; third < 256 && plan.subnet.empty(); ++third) {
            auto network = match[1].str() + "." + match[2].str() + "." + std::to_string(third);
            auto candidate = network + ".0/24";
            if (!used.count(candidate) && !host_route_overlapping(ipv4_of(network + ".0"))) {
                plan.subnet = candidate;
            }
        }
        if (plan.subnet.empty()) {
            throw environment_error("every /24 of the supernet " + supernet +
                                    " is used by a Docker network or a route of this machine");
        }
    }
    auto prefix = plan.subnet.substr(0, plan.subnet.rfind('.') + 1);
    plan.gateway = spec.gateway.empty() ? prefix + "1" : spec.gateway;
    if (!spec.gateway.empty()) {
        match_or_throw(spec.gateway, address, "gateway", prefix + "1");
        if (spec.gateway.rfind(prefix, 0) != 0) {
            throw bad_input("gateway " + spec.gateway + " is not in the subnet " + plan.subnet);
        }
        int last = std::stoi(spec.gateway.substr(prefix.size()));
        if (last >= 10 && last < 10 + 245) {
            throw bad_input("gateway " + spec.gateway + " is a node address (nodes are " + prefix +
                            "11 and up); choose one below " + prefix + "10");
        }
    }
    return plan;
}

std::vector<NodePlan> plan_nodes(const std::string& cluster, const Profile& profile,
                                 const std::string& subnet, const std::vector<int>& ids,
                                 const std::vector<MemberAddress>& members,
                                 const std::string& cluster_state) {
    std::vector<NodePlan> plans;
    std::set<int> ports;
    for (int id : ids) {
        NodePlan plan;
        plan.id = id;
        plan.name = cluster + "-" + std::to_string(id);
        plan.ip = node_ip(subnet, id);
        do {
            plan.local_port = free_local_port();
        } while (!ports.insert(plan.local_port).second);
        plan.values = node_template_values(profile, {.cluster = cluster,
                                                     .node = {id, plan.name, plan.ip},
                                                     .members = members,
                                                     .data_dir = "/data",
                                                     .log_dir = "/log",
                                                     .conf_dir = kConfDirInNode,
                                                     .cluster_state = cluster_state});
        plans.push_back(std::move(plan));
    }
    return plans;
}

}  // namespace atomixtest::docker
