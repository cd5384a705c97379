// Finds and loads plugins at run time with Boost.DLL. A plugin of kind K named N
// is the file atomixtest-K-N.so on the plugin path: $ATOMIX_TEST_PLUGIN_PATH
// (colon-separated), then `plugins` beside the executable, then
// <prefix>/lib/atomix-test/plugins. Libraries stay loaded for the life of the
// process, so objects they made never outlive their code.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "atomixtest/plugin.hpp"

namespace atomixtest {

struct PluginListing {
    PluginKind kind;
    std::string name;
    std::string description;
    std::filesystem::path file;
};

// A file named like a plugin that the host refuses, and why (the message a
// load by name would throw).
struct PluginLoadFailure {
    std::filesystem::path file;
    std::string reason;
};

struct PluginScan {
    std::vector<PluginListing> loaded;
    std::vector<PluginLoadFailure> failed;
    // Two files of one kind and name in different directories of the path.
    std::vector<std::pair<std::filesystem::path, std::filesystem::path>> duplicates;
};

class PluginHost {
  public:
    PluginHost();  // the default plugin path
    explicit PluginHost(std::vector<std::filesystem::path> search_path);

    std::shared_ptr<Backend> backend(const std::string& name);
    std::shared_ptr<FaultPlugin> fault(const std::string& name);
    std::shared_ptr<ClientPlugin> client(const std::string& name);

    // Every loadable plugin on the path (files that fail to load are skipped).
    // Loads every file: for the commands that show or use them all.
    std::vector<PluginListing> available();
    // The names of the plugins of a kind, from the files' names alone: what a
    // command that needs one plugin looks through without loading the rest.
    std::vector<std::string> names(PluginKind kind) const;
    // The same, with the files that look like plugins but fail to load.
    PluginScan scan();
    const std::vector<std::filesystem::path>& search_path() const { return search_path_; }

    // Loads one file and checks its descriptor; throws naming the file and reason.
    static const PluginDescriptor& load_file(const std::filesystem::path& file);

    // A plugin made in this process (a test's fake backend or fault), found
    // by name as a loaded one is, listed by scan() with no file.
    void add(PluginKind kind, const std::string& name, std::shared_ptr<void> instance,
             std::string description = "made in this process");

  private:
    std::vector<std::filesystem::path> directories() const;
    void* create(PluginKind kind, const std::string& name);
    template <typename Interface>
    std::shared_ptr<Interface> instance(PluginKind kind, const std::string& name);
    std::vector<std::filesystem::path> search_path_;
    std::map<std::string, std::shared_ptr<void>> instances_;
    std::vector<PluginListing> added_;
};

std::vector<std::filesystem::path> default_plugin_path();

}  // namespace atomixtest
