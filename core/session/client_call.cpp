#include "session/client_call.hpp"

namespace atomixtest {

std::string client_of_profile(Workspace& workspace, const std::string& profile) {
    return workspace.profile(profile).client;
}

ClientTarget client_target(Workspace& workspace, const ClusterInfo& cluster, int node,
                           std::chrono::milliseconds timeout) {
    const auto& target = cluster.node(node);
    const auto& profile =
        workspace.profile(target.profile.empty() ? cluster.profile : target.profile);
    ClientTarget call;
    call.client_name = profile.client;
    call.client = workspace.plugins().client(profile.client);
    call.endpoint.port = target.local_port;
    call.endpoint.timeout = timeout;
    call.endpoint.options = profile.client_options;
    return call;
}

}  // namespace atomixtest
