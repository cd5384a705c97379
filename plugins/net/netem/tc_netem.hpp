// The kernel's driver: tc, run from the host inside the node's namespace (so
// the node's image needs no tc). A node's kernel part is one tree on its
// interface: an htb root whose default class carries the settings for every
// peer and a class per peer with settings of its own, matched by destination
// address (u32); in each class a tbf for the rate, then netem for the rest,
// where the kernel has them.
#pragma once

#include <string>
#include <vector>

#include "shaping.hpp"

namespace atomixtest::net {

// netem's options for spec, in its own words: "delay 200000us 10000us 75% ...".
std::vector<std::string> netem_words(const NetemSpec& spec);

// The `tc -batch` script building the tree for what shaping.kernel says the
// kernel carries; "" when it carries nothing.
std::string tc_tree_script(const std::string& interface, const Shaping& shaping);
// Replaces whatever tree the interface has with the script's (none if "").
std::vector<std::string> tc_tree_command(const std::string& interface, const std::string& script);

// The probes, each on loopback, which only a kernel with the qdiscs accepts.
std::vector<std::string> tc_netem_probe();
std::vector<std::string> tc_rate_probe();

}  // namespace atomixtest::net
