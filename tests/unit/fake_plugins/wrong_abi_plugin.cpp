// A fake plugin, for the plugin host's error path only: it claims an SDK ABI
// that no real build has.
#include "atomixtest/plugin.hpp"

extern "C" ATOMIXTEST_EXPORT const atomixtest::PluginDescriptor ATOMIXTEST_PLUGIN_SYMBOL;
extern "C" ATOMIXTEST_EXPORT const atomixtest::PluginDescriptor ATOMIXTEST_PLUGIN_SYMBOL = {
    atomixtest::kPluginAbiVersion + 100, atomixtest::PluginKind::Fault, "wrong-abi",
    "a plugin built against another SDK", nullptr};
