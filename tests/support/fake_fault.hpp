// A fault plugin that only records: `fake.hold` (every node unless told, with
// a level that defaults to 1) and its undo `fake.release`, `fake.draw` (one
// node drawn from the seed when none is named), `fake.fail` (refused by the
// system: Unavailable), `fake.throw` (a careless plugin's std::runtime_error).
// In the process, registered with PluginHost::add, for the unit tests of the
// engine, the door and the nemesis. A fake, named as one.
#pragma once

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "atomixtest/error.hpp"
#include "atomixtest/fault.hpp"

namespace atomixtest::testing {

class FakeFault : public FaultPlugin {
  public:
    std::vector<std::string> calls;

    std::vector<VerbSpec> verbs() const override {
        auto nodes = param("node", ParamType::Nodes, "the nodes").when_absent(AbsentNodes::All);
        return {
            {"hold",
             "hold the nodes",
             {nodes, param("level", ParamType::Integer, "how hard").default_value(1).range(1, 9)},
             true},
            {"release", "the undo of hold", {nodes}},
            {"draw",
             "hold one node",
             {param("node", ParamType::Node, "the node").when_absent(AbsentNodes::Random)},
             true},
            {"fail", "refused by the system", {}, true},
            {"throw", "throws what no plugin should", {}, true},
        };
    }
    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext&) override {
        std::lock_guard lock(mutex_);
        calls.push_back(verb + " " + params.dump());
        if (verb == "fail") throw Error(ErrorKind::Unavailable, "the system said no");
        if (verb == "throw") throw std::runtime_error("kaboom");
        if (verb == "hold") return Undo{"release", {{"node", params.at("node")}}};
        if (verb == "draw") return Undo{"release", {{"node", {params.at("node")}}}};
        return std::nullopt;
    }
    nlohmann::json in_force(FaultContext&) override { return nlohmann::json::array(); }
    void clear(FaultContext&) override {
        std::lock_guard lock(mutex_);
        calls.push_back("clear");
    }

  private:
    std::mutex mutex_;
};

}  // namespace atomixtest::testing
