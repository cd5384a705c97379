// What the sidecar's tools image holds: the sidecar program and the userspace
// netem daemon (beside this plugin), and this machine's iptables (with its
// extension modules), nft, tc, ip, sh and, where installed, stress-ng. The
// system's own image needs none of them.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::docker {

std::vector<std::string> tools_image_files();

}  // namespace atomixtest::docker
