#include "disk_verbs.hpp"

#include "io_rules.hpp"

namespace atomixtest::disk {

namespace {

Param nodes_param(const std::string& help) {
    return param("node", ParamType::Nodes, help).when_absent(AbsentNodes::All);
}

Param path_param(const std::string& help) {
    return param("path", ParamType::String, help).default_value("*");
}

// A list of calls, or the command line's "write,fsync".
Param ops_param() {
    nlohmann::json names = nlohmann::json::array();
    std::string alternatives;
    for (const auto& entry : kIoOpNames) {
        names.push_back(entry.name);
        alternatives += (alternatives.empty() ? "" : "|") + std::string(entry.name);
    }
    auto one = "(" + alternatives + ")";
    return param(
               "ops", ParamType::Json,
               "the calls that suffer, a list or write,fsync (absent: every call): " + alternatives)
        .shaped({{"anyOf",
                  {{{"type", "array"}, {"items", {{"enum", names}}}},
                   {{"type", "string"}, {"pattern", "^" + one + "(," + one + ")*$"}}}}});
}

Param probability_param(const std::string& help) {
    return param("probability", ParamType::Number, help).default_value(1).range(0, 1);
}

}  // namespace

std::vector<VerbSpec> disk_verbs() {
    std::vector<std::string> errnos;
    for (const auto& entry : kErrnoNames) errnos.push_back(entry.name);
    std::vector<VerbSpec> verbs = {
        {"error",
         "fail a node's I/O calls on matching paths of its data dir with an errno (a lazy disk: "
         "--disk lazy)",
         {nodes_param("the nodes whose calls fail"),
          path_param("glob over paths inside the data dir (member/wal/*; * crosses /)"),
          ops_param(),
          param("errno", ParamType::Choice, "what the calls fail with")
              .one_of(errnos)
              .default_value("EIO"),
          probability_param("per call, 0..1: the share that fails")},
         true},
        {"delay",
         "slow a node's I/O calls on matching paths of its data dir (a lazy disk)",
         {nodes_param("the nodes whose calls wait"),
          path_param("glob over paths inside the data dir (* crosses /)"), ops_param(),
          param("latency", ParamType::Duration, "added to each call")
              .default_value("50ms")
              .bare_unit("ms"),
          param("jitter", ParamType::Duration, "spread of the delay, uniform either side")
              .default_value("0ms")
              .bare_unit("ms"),
          probability_param("per call, 0..1: the share that waits")},
         true},
        {"restore",
         "end disk.error and disk.delay on a node (on every node if absent)",
         {nodes_param("the nodes")},
         false},
        {"corrupt",
         "damage a file in a stopped or killed node's data dir: flip bits, zero bytes or cut "
         "it short; the file and position are drawn from the seed and printed",
         {param("node", ParamType::Node, "the node (stopped or killed)").require(),
          path_param("glob over the files that may be chosen (* crosses /)"),
          param("mode", ParamType::Choice,
                "bitflip: one bit of each byte; zero: the bytes zeroed; truncate: the file cut "
                "at the position")
              .one_of({"bitflip", "zero", "truncate"})
              .default_value("bitflip"),
          param("bytes", ParamType::Integer, "how many bytes").default_value(1).range(1, 1 << 30),
          param("offset", ParamType::Integer,
                "where in the file (absent: drawn; truncate: bytes before the end)")
              .range(0, 9.0e15)},
         false},
        {"lose_unfsynced",
         "take back what a stopped or killed node wrote and never synced, as a power loss "
         "would (node.kill with lose_unfsynced does it after the kill)",
         {nodes_param("the nodes (stopped or killed)")},
         false},
    };
    // Damage and loss need the node down: nothing of it may write meanwhile.
    for (auto& verb : verbs) {
        verb.needs_node_down = verb.name == "corrupt" || verb.name == "lose_unfsynced";
    }
    return verbs;
}

}  // namespace atomixtest::disk
