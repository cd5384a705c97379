// How a shared library becomes a plugin: it defines one exported descriptor with
// ATOMIXTEST_PLUGIN. The core reads abi_version first and refuses a plugin built
// against another SDK before touching anything else in it.
#pragma once

#include "atomixtest/backend.hpp"
#include "atomixtest/client.hpp"
#include "atomixtest/fault.hpp"
#include "atomixtest/plugin_boundary.hpp"

namespace atomixtest {

// Bumped whenever a type a plugin sees (the interfaces, Error, ClusterInfo...)
// changes its layout.
constexpr int kPluginAbiVersion = 10;

enum class PluginKind : int { Backend = 1, Fault = 2, Client = 3 };
const char* to_string(PluginKind kind);

template <PluginKind Kind>
struct PluginInterface;
// Each kind's interface, and the wrapper that guards the plugin's calls
// (atomixtest/plugin_boundary.hpp).
template <>
struct PluginInterface<PluginKind::Backend> {
    using type = Backend;
    template <typename Impl>
    using guarded = boundary::GuardedBackend<Impl>;
};
template <>
struct PluginInterface<PluginKind::Fault> {
    using type = FaultPlugin;
    template <typename Impl>
    using guarded = boundary::GuardedFault<Impl>;
};
template <>
struct PluginInterface<PluginKind::Client> {
    using type = ClientPlugin;
    template <typename Impl>
    using guarded = boundary::GuardedClient<Impl>;
};

struct PluginDescriptor {
    int abi_version;
    PluginKind kind;
    const char* name;
    const char* description;
    void* (*create)();  // a new Backend, FaultPlugin or ClientPlugin, per kind
};

}  // namespace atomixtest

#define ATOMIXTEST_PLUGIN_SYMBOL atomixtest_plugin_descriptor

// The descriptor must stay visible when a plugin is built with hidden symbols.
#define ATOMIXTEST_EXPORT __attribute__((visibility("default")))

// Usage, in the plugin's factory file:
//   ATOMIXTEST_PLUGIN(Fault, "net", "network partitions and netem", NetFaultPlugin)
#define ATOMIXTEST_PLUGIN(KIND, NAME, DESCRIPTION, TYPE)                                           \
    extern "C" ATOMIXTEST_EXPORT const ::atomixtest::PluginDescriptor ATOMIXTEST_PLUGIN_SYMBOL;    \
    extern "C" ATOMIXTEST_EXPORT const ::atomixtest::PluginDescriptor ATOMIXTEST_PLUGIN_SYMBOL = { \
        ::atomixtest::kPluginAbiVersion, ::atomixtest::PluginKind::KIND, NAME, DESCRIPTION,        \
        []() -> void* {                                                                            \
            using Kind = ::atomixtest::PluginInterface< ::atomixtest::PluginKind::KIND>;           \
            return ::atomixtest::boundary::guarded(                                                \
                NAME, [] { return static_cast<Kind::type*>(new Kind::guarded<TYPE>(NAME)); });     \
        }}
