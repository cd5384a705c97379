// Reads a scenario's steps: each names one verb, resolved in the catalog (a
// client verb in the scenario's own system's client), with its params checked
// by the door's rules (session/param_check.hpp) against the node ids the
// cluster will have at that step: its nodes, plus those node.add steps add,
// less those node.remove steps remove, in the order the steps run; a verb
// that needs its node down (disk.corrupt) against the nodes node.kill and
// node.stop took down by then. Every issue is kept with its position, to be
// reported together.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenario/marked_yaml.hpp"
#include "scenario/scenario.hpp"

namespace atomixtest {

struct ScenarioIssue {
    SourceMark mark;
    std::string field;  // the pointer, as a path people read: steps/1/net.isolate/node
    std::string message;
};

class StepReader {
  public:
    StepReader(const MarkedDocument& doc, const VerbCatalog& catalog);

    // The scenario's system and cluster size, once the cluster part is read.
    // knows_leader: the profile says how to find the leader (`leader:`), so
    // the `leader` and `followers` selectors may be used.
    void set_cluster(const std::string& client, int nodes, bool knows_leader = true);

    // about_key: the mistake is the key itself (a misspelt verb or field), so
    // point at the key rather than at its value.
    void report(const std::string& pointer, const std::string& message, bool about_key = false);
    void check_choice(const std::string& pointer, const std::string& value,
                      const std::vector<std::string>& known, const std::string& what);

    std::vector<Step> read_steps(const std::string& pointer);

    // BadInput listing every issue in file order, if there is one.
    void throw_if_any();

  private:
    std::optional<Step> read_step(const nlohmann::json& value, const std::string& pointer);
    void resolve(Step& step);
    void check_params(const Step& step);
    void count_nodes(const Step& step);
    void check_node_down(const Step& step);
    std::vector<int> nodes_taken_down(const Step& step);

    const MarkedDocument& doc_;
    const VerbCatalog& catalog_;
    std::string client_;
    std::set<int> node_ids_;
    bool knows_leader_ = true;
    std::set<int> down_;  // stopped or killed by the steps read so far
    std::vector<ScenarioIssue> issues_;
};

}  // namespace atomixtest
