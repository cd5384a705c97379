// The door's checks: a verb's params against its declaration (atomixtest/
// verb.hpp), the same for every caller. A scenario is checked when it is
// loaded, before any cluster exists; the CLI and the C++ API check what they
// are given before anything changes; entropy checks its functions before the
// run. Then the params are completed: defaults filled in, durations and sizes
// written one way, nodes resolved to ids.
#pragma once

#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest {

struct ParamIssue {
    std::string pointer;  // of the value inside the params: "/latency" ("" for the whole)
    std::string message;
    bool about_key = false;  // the param's name is wrong, not its value
};

// Every issue at once. node_ids: the ids the cluster has (or will have, for a
// scenario's step) when the caller knows them; ids are then checked too.
std::vector<ParamIssue> check_params(const VerbSpec& verb, const Params& params,
                                     const std::vector<int>* node_ids = nullptr);

// Throws Error(BadInput) "VERB: PARAM: message; ..." when there are issues:
// the CLI's and the C++ API's form of the same refusal. `name_of` turns a
// param's name into how the caller wrote it (--latency on the command line).
void throw_if_invalid(const VerbSpec& verb, const std::vector<ParamIssue>& issues,
                      std::string (*name_of)(const std::string& param) = nullptr);

// The command line's words (name=value, or --name value), typed by the
// declaration: "0.5" becomes a number where a number is declared, "1,3" a
// list of ids for a Nodes param, a flag alone is true. A name the verb does
// not declare is kept as it is, for check_params to refuse by name.
Params params_from_words(const VerbSpec& verb,
                         const std::vector<std::pair<std::string, std::string>>& words);

struct CompletedParams {
    Params params;
    bool drawn = false;  // a node was drawn from the seed
};

// Defaults filled in, durations as "200ms" text, sizes in bytes, Node params
// as an id and Nodes params as a list of ids. The params must have passed
// check_params.
CompletedParams complete_params(const VerbSpec& verb, const Params& checked,
                                const ClusterInfo& cluster, std::mt19937_64& random,
                                const std::function<int()>& leader = {});

}  // namespace atomixtest
