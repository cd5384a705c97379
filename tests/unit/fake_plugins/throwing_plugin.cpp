// A fake fault plugin, for the error paths a real plugin does not take on
// purpose: it throws what a careless plugin would (not atomixtest::Error), in
// apply (verb `apply-throws`) and in clear. `hold` is a fault that works, so a
// test can see it undone around the others' failures.
#include <stdexcept>

#include "atomixtest/plugin.hpp"

namespace {

class ThrowingPlugin : public atomixtest::FaultPlugin {
  public:
    std::vector<atomixtest::VerbSpec> verbs() const override {
        return {{"apply-throws", "throws std::runtime_error", {}, true},
                {"hold", "does nothing, with an undo", {}, true},
                {"release", "the undo of hold", {}, false}};
    }
    std::optional<atomixtest::Undo> apply(const std::string& verb, const atomixtest::Params&,
                                          atomixtest::FaultContext&) override {
        if (verb == "apply-throws") throw std::runtime_error("kaboom in apply");
        if (verb == "hold") return atomixtest::Undo{"release", nlohmann::json::object()};
        return std::nullopt;
    }
    nlohmann::json in_force(atomixtest::FaultContext&) override { return nlohmann::json::array(); }
    void clear(atomixtest::FaultContext&) override { throw std::out_of_range("kaboom in clear"); }
};

}  // namespace

ATOMIXTEST_PLUGIN(Fault, "throwing", "a fake that throws std::exceptions", ThrowingPlugin);
