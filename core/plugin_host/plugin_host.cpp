#include "plugin_host/plugin_host.hpp"

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <mutex>
#include <set>

#include "atomixtest/error.hpp"
#include "util/paths.hpp"

#define ATOMIXTEST_STRINGIFY_(x) #x
#define ATOMIXTEST_STRINGIFY(x) ATOMIXTEST_STRINGIFY_(x)

namespace atomixtest {

namespace fs = std::filesystem;

std::vector<fs::path> default_plugin_path() {
    return search_path("ATOMIX_TEST_PLUGIN_PATH", "plugins", "lib/atomix-test/plugins");
}

PluginHost::PluginHost() : PluginHost(default_plugin_path()) {}
PluginHost::PluginHost(std::vector<fs::path> search_path) : search_path_(std::move(search_path)) {}

const PluginDescriptor& PluginHost::load_file(const fs::path& file) {
    // Never unloaded: see the header.
    static std::mutex mutex;
    static std::map<fs::path, std::unique_ptr<boost::dll::shared_library>> loaded;
    std::lock_guard lock(mutex);
    auto& library = loaded[file];
    if (!library) {
        boost::system::error_code error;
        auto candidate = std::make_unique<boost::dll::shared_library>(
            boost::dll::fs::path(file.string()), boost::dll::load_mode::rtld_now, error);
        if (error) {
            loaded.erase(file);
            throw Error(ErrorKind::Environment,
                        "plugin " + file.string() + " failed to load: " + error.message());
        }
        library = std::move(candidate);
    }
    const char* symbol = ATOMIXTEST_STRINGIFY(ATOMIXTEST_PLUGIN_SYMBOL);
    if (!library->has(symbol)) {
        throw Error(ErrorKind::Environment, "plugin " + file.string() +
                                                " is not an atomix-test plugin: it exports no " +
                                                symbol + " (use ATOMIXTEST_PLUGIN)");
    }
    const auto& descriptor = library->get<const PluginDescriptor>(symbol);
    if (descriptor.abi_version != kPluginAbiVersion) {
        throw Error(ErrorKind::Environment,
                    "plugin " + file.string() + " was built for plugin ABI " +
                        std::to_string(descriptor.abi_version) + ", this atomix-test speaks ABI " +
                        std::to_string(kPluginAbiVersion) + "; rebuild it against this SDK");
    }
    return descriptor;
}

void* PluginHost::create(PluginKind kind, const std::string& name) {
    std::string file_name = std::string("atomixtest-") + to_string(kind) + "-" + name + ".so";
    for (const auto& dir : search_path_) {
        auto file = dir / file_name;
        if (!fs::exists(file)) continue;
        const auto& descriptor = load_file(file);
        if (descriptor.kind != kind || name != descriptor.name) {
            throw Error(ErrorKind::Environment, "plugin " + file.string() + " declares itself " +
                                                    to_string(descriptor.kind) + " '" +
                                                    descriptor.name + "', expected " +
                                                    to_string(kind) + " '" + name + "'");
        }
        return descriptor.create();
    }
    std::string known;
    for (const auto& listing : available()) {
        if (listing.kind == kind) known += (known.empty() ? "" : ", ") + listing.name;
    }
    std::string where;
    for (const auto& dir : search_path_) where += (where.empty() ? "" : ":") + dir.string();
    throw not_found(std::string("no ") + to_string(kind) + " plugin named '" + name +
                    "' (looked for " + file_name + " in " + where +
                    "; available: " + (known.empty() ? "none" : known) + ")");
}

template <typename Interface>
std::shared_ptr<Interface> PluginHost::instance(PluginKind kind, const std::string& name) {
    auto& slot = instances_[std::string(to_string(kind)) + "/" + name];
    if (!slot) slot = std::shared_ptr<Interface>(static_cast<Interface*>(create(kind, name)));
    return std::static_pointer_cast<Interface>(slot);
}

std::shared_ptr<Backend> PluginHost::backend(const std::string& name) {
    return instance<Backend>(PluginKind::Backend, name);
}
std::shared_ptr<FaultPlugin> PluginHost::fault(const std::string& name) {
    return instance<FaultPlugin>(PluginKind::Fault, name);
}
std::shared_ptr<ClientPlugin> PluginHost::client(const std::string& name) {
    return instance<ClientPlugin>(PluginKind::Client, name);
}

std::vector<PluginListing> PluginHost::available() {
    return scan().loaded;
}

PluginScan PluginHost::scan() {
    PluginScan scan;
    std::set<std::string> seen;
    for (const auto& dir : search_path_) {
        std::error_code error;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir, error)) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            auto stem = file.stem().string();
            if (file.extension() != ".so" || stem.rfind("atomixtest-", 0) != 0) continue;
            // The first file of a name on the path is the one loaded by name.
            if (!seen.insert(stem).second) continue;
            try {
                const auto& descriptor = load_file(file);
                // A plugin is loaded by its file's name: one declaring another
                // name could never be loaded as what it says it is.
                auto expected =
                    std::string("atomixtest-") + to_string(descriptor.kind) + "-" + descriptor.name;
                if (stem != expected) {
                    scan.failed.push_back(
                        {file, "plugin " + file.string() + " declares itself " +
                                   to_string(descriptor.kind) + " '" + descriptor.name +
                                   "', which would be the file " + expected + ".so"});
                    continue;
                }
                scan.loaded.push_back(
                    {descriptor.kind, descriptor.name, descriptor.description, file});
            } catch (const Error& failure) {
                scan.failed.push_back({file, failure.what()});
            }
        }
    }
    return scan;
}

}  // namespace atomixtest
