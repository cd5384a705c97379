// Profiles are YAML files named <profile>.yaml on the profile path:
// $ATOMIX_TEST_PROFILE_PATH (colon-separated), then the `profiles` folder beside
// the executable, then <prefix>/share/atomix-test/profiles.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "atomixtest/profile.hpp"

namespace atomixtest {

std::vector<std::filesystem::path> profile_search_path();
std::vector<std::string> available_profiles();
Profile load_profile(const std::string& name);  // NotFound lists the available ones
Profile parse_profile(const std::filesystem::path& file);

// Finds the profile's host paths (into host_values). Environment error naming
// what is missing and how to get it, before anything of a cluster exists.
void resolve_host_paths(Profile& profile);

// load_profile, then resolve_host_paths: a profile about to start nodes.
Profile load_profile_to_start(const std::string& name);

}  // namespace atomixtest
