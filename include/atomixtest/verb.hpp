// A verb is one action a plugin offers (`net.isolate`, `map.put`, `node.kill`).
// Its parameters are declared once, here, as typed Params: the scenario
// validator, the CLI (its options, their help, their parsing), the C++ API,
// entropy, `atomix-test plugins`, the scenario schema and the README's table
// all come from the same declaration. Every caller reaches a verb through one
// door (the core's session layer), which checks the params against it, fills
// in the defaults and resolves the nodes, so a plugin receives params that are
// valid, complete and name concrete node ids.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

using Params = nlohmann::json;

// The kinds of value a param takes, as YAML and the command line write them.
enum class ParamType {
    Integer,   // 3
    Number,    // 0.5 (NaN and infinities never pass)
    Boolean,   // true; on the command line a flag alone
    String,    // text
    Duration,  // "200ms", "1m30s"; a bare number means `unit` where one is named
    Size,      // "256m", "1g"
    Choice,    // one of `choices`
    Node,      // one node: an id, or a selector (`random`)
    Nodes,     // nodes: an id, a list of ids, or a selector (`all`, `random`)
    Json,      // any value `schema` accepts (a list of pairs, a value to expect)
    // Added last, so that the values above keep their numbers for plugins
    // built before them.
    Rate,        // "1mbit", "500kbit": tc's words (atomixtest/rate.hpp)
    NodeGroups,  // groups of nodes, [[1, 2], [2, 3]]: ids checked as a Node's are
};

// What an absent Node or Nodes param means. The door applies it, so that a
// plugin sees concrete ids, and the choice is written once, where the help
// shows it.
enum class AbsentNodes {
    Left,     // stays absent: the plugin gives it a meaning ("every other node")
    All,      // every node of the cluster
    Running,  // every node that is running
    Random,   // one node drawn from the run's seed
};

struct Param {
    std::string name;
    ParamType type = ParamType::String;
    std::string help;
    nlohmann::json fallback;  // the default the door fills in (null: none)
    bool required = false;
    std::optional<double> minimum;     // Integer, Number; Size in bytes; Duration: in its bare unit
    std::optional<double> maximum;     // Integer, Number; Duration: in its bare unit
    std::vector<std::string> choices;  // Choice
    std::string unit;                  // Duration: what a bare number means ("ms")
    AbsentNodes absent = AbsentNodes::Left;  // Node, Nodes
    bool nullable = false;                   // null is a value of its own (cas's `old`)
    nlohmann::json schema;                   // Json: the JSON Schema of the value
    // Duration: no longer than another Duration param of the verb (its
    // default when absent): a strobe's period within its duration. JSON
    // Schema cannot compare two values, and "10ms" against "5s" less still.
    std::string longest;

    // The same, one property at a time, for plugins built with compilers that
    // warn of members a designated initializer leaves out (GCC 12 -Wextra):
    //   param("node", ParamType::Nodes, "the nodes").when_absent(AbsentNodes::All)
    Param default_value(nlohmann::json value) const;
    Param require() const;
    Param range(double low, double high) const;
    Param one_of(std::vector<std::string> values) const;
    Param bare_unit(std::string bare) const;
    Param when_absent(AbsentNodes meaning) const;
    Param or_null() const;
    Param shaped(nlohmann::json json_schema) const;
    Param no_longer_than(std::string other_param) const;
};

Param param(std::string name, ParamType type, std::string help);

struct VerbSpec {
    VerbSpec() = default;
    VerbSpec(std::string name, std::string description, std::vector<Param> params = {},
             bool scoped = false, nlohmann::json rules = {}, std::string rules_help = {})
        : name(std::move(name)),
          description(std::move(description)),
          params(std::move(params)),
          scoped(scoped),
          rules(std::move(rules)),
          rules_help(std::move(rules_help)) {}

    std::string name;         // without the plugin prefix: "isolate"
    std::string description;  // one line, shown by --help and `plugins`
    std::vector<Param> params;
    bool scoped = false;  // usable with `during:` (the fault has an undo)
    // What ties params together, as JSON Schema over the params object (an
    // anyOf of "at least one of", a dependency), and the words said when it
    // does not hold.
    nlohmann::json rules;
    std::string rules_help;
    // The verb acts on nodes that are down (disk.corrupt damages a stopped
    // node's files): a scenario that names a node it has not stopped or
    // killed by then is refused when loaded, before any cluster exists.
    bool needs_node_down = false;
};

const char* to_string(ParamType type);
const char* to_string(AbsentNodes absent);

// The JSON Schema of the verb's params object (closed: an unknown param is an
// error), derived from the declaration: what `plugins --json` shows and what
// editors read through schemas/scenario.schema.json.
nlohmann::json params_schema(const VerbSpec& verb);

// The param's help as people read it, its default or absent meaning included:
// "added delay (default 50ms; a bare number is ms)".
std::string param_help(const Param& param);

// Typed reads of params the door has checked and completed: a plugin calls
// these without handling errors of its own (a missing or ill-typed param is
// an Error(Internal), a bug, never bad input).
int64_t integer_param(const Params& params, const std::string& name);
double number_param(const Params& params, const std::string& name);
bool boolean_param(const Params& params, const std::string& name);
std::string string_param(const Params& params, const std::string& name);
std::chrono::nanoseconds duration_param(const Params& params, const std::string& name);
int64_t size_param(const Params& params, const std::string& name);
int64_t rate_param(const Params& params, const std::string& name);  // bits per second
std::vector<std::vector<int>> node_groups_param(const Params& params, const std::string& name);
std::vector<int> nodes_param(const Params& params, const std::string& name);  // [] if absent

}  // namespace atomixtest
