// The nodes' clocks changed by the node clock tool on each node's machine,
// run through the backend (run_in_nodes): its JSON read back, its exit code
// turned back into the error it stands for.
#include <chrono>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"
#include "clock_change.hpp"
#include "clock_nodes.hpp"
#include "node_clock_tool.hpp"

namespace atomixtest::clock {

namespace {

class NodeToolClocks : public ClockNodes {
  public:
    NodeToolClocks(Backend& backend, std::string cluster)
        : backend_(backend),
          cluster_(std::move(cluster)),
          program_(plugin_program(kNodeClockProgram)) {}

    std::map<int, NodeClockState> read(const std::vector<int>& nodes) override {
        std::vector<NodeCommand> commands;
        for (int node : nodes) commands.push_back({node, {program_, "read"}});
        std::map<int, NodeClockState> states;
        for (const auto& result : backend_.run_in_nodes(cluster_, commands)) {
            auto& state = states[result.node];
            // A node whose pod is not there has no clock of ours.
            if (result.exit_code != 0) continue;
            auto json = parsed(result, "read");
            if (!json.at("clock").is_null()) state.clock = record_from(json.at("clock"));
            state.strobing = json.at("strobing").get<bool>();
        }
        return states;
    }

    NodeChange change(int node, const nlohmann::json& change) override {
        auto json = parsed(run(node, {"change", std::to_string(node), change.dump()}), "change");
        return {json.at("seen").get<std::string>(), targets_from(json.at("targets"))};
    }

    StrobeStart start_strobe(int node, const nlohmann::json& spec,
                             std::chrono::nanoseconds watch) override {
        NodeCommand daemon{
            .node = node, .argv = {program_, "strobe", spec.dump()}, .detached = true};
        auto started = backend_.run_in_nodes(cluster_, {daemon});
        if (started.empty() || started[0].exit_code != 0) {
            throw environment_error("the strobe daemon did not start in node " +
                                    std::to_string(node) + ": " +
                                    (started.empty() ? std::string() : started[0].err));
        }
        std::vector<std::string> args = {"watch", std::to_string(watch.count())};
        if (watch.count() > 0) {
            const auto& first = spec.at("targets").at(0);
            args.push_back(std::to_string(first.at("pid").get<int>()));
            args.push_back(std::to_string(first.at("selector").get<uint64_t>()));
        }
        auto result = run(node, args, true);
        StrobeStart seen;
        seen.daemon = std::atoi(result.out.c_str());
        seen.seen_flipping = watch.count() > 0 && result.exit_code == 0;
        return seen;
    }

    void reset(int node) override { run(node, {"reset"}); }

    void clear(const std::vector<int>& nodes) override {
        std::vector<NodeCommand> commands;
        for (int node : nodes) commands.push_back({node, {program_, "reset"}});
        backend_.run_in_nodes(cluster_, commands);
    }

  private:
    // The tool's run in the node; its failure as the error it stands for
    // (exit 1 of a watch is an answer, kept when `answer_on_1`).
    CommandResult run(int node, const std::vector<std::string>& args, bool answer_on_1 = false) {
        std::vector<std::string> argv = {program_};
        argv.insert(argv.end(), args.begin(), args.end());
        auto results = backend_.run_in_nodes(cluster_, {{node, argv}});
        if (results.empty()) throw environment_error("the node clock tool did not run");
        auto& result = results[0];
        if (result.exit_code == 0 || (answer_on_1 && result.exit_code == 1)) return result;
        auto said = result.err;
        while (!said.empty() && said.back() == '\n') said.pop_back();
        auto message =
            said.rfind("node ", 0) == 0 ? said : "node " + std::to_string(node) + ": " + said;
        if (result.exit_code == kNodeClockNotSeen) throw Error(ErrorKind::Unavailable, message);
        throw Error(ErrorKind::Environment, message);
    }

    static nlohmann::json parsed(const CommandResult& result, const std::string& what) {
        auto json = nlohmann::json::parse(result.out, nullptr, false);
        if (!json.is_object()) {
            throw Error(ErrorKind::Internal, "the node clock tool's " + what + " on node " +
                                                 std::to_string(result.node) +
                                                 " said: " + result.out);
        }
        return json;
    }

    Backend& backend_;
    std::string cluster_;
    std::string program_;
};

}  // namespace

std::unique_ptr<ClockNodes> node_tool_clocks(Backend& backend, const std::string& cluster) {
    return std::make_unique<NodeToolClocks>(backend, cluster);
}

std::unique_ptr<ClockNodes> clock_nodes(Backend& backend, const std::string& cluster,
                                        const std::vector<int>& nodes) {
    if (backend.reaches_nodes_in_process(cluster))
        return in_process_clocks(backend, cluster, nodes);
    return node_tool_clocks(backend, cluster);
}

}  // namespace atomixtest::clock
