// What is written from the verbs' declarations rather than by hand, so that
// it never drifts from them: the scenario schema editors complete from
// (schemas/scenario.schema.json: its structure, then one entry per verb with
// its params) and the README's table of steps. `atomix-test plugins
// --schema|--markdown` prints them; tests keep the shipped files equal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "session/verb_catalog.hpp"

namespace atomixtest {

// The schema `base` (the scenario file's structure) with a step property per
// verb of the catalog, each the verb's params schema under $defs/verbs. A
// client verb that two clients declare differently is left open.
nlohmann::json scenario_schema_with_verbs(nlohmann::json base, const VerbCatalog& catalog);

// The schema as the scenario loader checks the structure with: the per-verb
// part taken out, since the loader checks each step against the live catalog
// (plugins of one's own, the scenario's own client, the profiles found).
nlohmann::json structure_of(nlohmann::json schema);

// The Markdown table of every verb: | step | params | what it does |.
std::string verbs_markdown(const VerbCatalog& catalog);

}  // namespace atomixtest
