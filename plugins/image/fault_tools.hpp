// The tools of this machine that fault plugins run inside a node which has
// none of its own: iptables (with the extension modules it loads at run
// time), nft, tc, ip, sh and, where installed, stress-ng. The docker
// backend's tools image and the kubernetes node agent's image both carry them.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::image {

std::vector<std::string> fault_tool_files();

}  // namespace atomixtest::image
