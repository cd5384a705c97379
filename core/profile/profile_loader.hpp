// Profiles are YAML files named <profile>.yaml on the profile path: the
// directories given with --profiles, then $ATOMIX_TEST_PROFILE_PATH
// (colon-separated), then the `profiles` folder beside the executable, then
// <prefix>/share/atomix-test/profiles. A profile starts programs as root, so
// it is named, never given as a path: a scenario (data from anyone) can only
// pick one of the profiles the user installed or pointed at.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "atomixtest/profile.hpp"

namespace atomixtest {

// [a-z0-9][a-z0-9-]*, at most 64 characters: no '/', no '.', no "..".
extern const char* const kProfileNamePattern;
bool is_profile_name(std::string_view name);
void validate_profile_name(std::string_view name);  // BadInput saying what a name is

// A directory of the user's own profiles (--profiles DIR), searched first.
void add_profile_directory(const std::filesystem::path& directory);

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
