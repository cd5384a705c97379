// A fake plugin, for the plugin host's error path only: its file name says
// fault "misnamed" but it declares a client called "other".
#include "atomixtest/plugin.hpp"

namespace {
class OtherClient : public atomixtest::ClientPlugin {
  public:
    std::vector<atomixtest::VerbSpec> verbs() const override { return {}; }
    nlohmann::json invoke(const std::string&, const atomixtest::Params&,
                          const atomixtest::Endpoint&) override {
        return nullptr;
    }
};
}  // namespace

ATOMIXTEST_PLUGIN(Client, "other", "declares another name than its file", OtherClient);
