#include "plugin_host/plugin_host.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <boost/dll/shared_library.hpp>
#include <mutex>
#include <optional>
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

namespace {

// A plugin runs as whoever runs atomix-test, often root: like ssh with a key,
// the host refuses a file (or a directory holding it) that someone else could
// have written.
void check_who_could_write(const fs::path& file) {
    for (const auto& path : {file, file.parent_path()}) {
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) continue;  // dlopen says what is missing
        bool owner_trusted = info.st_uid == geteuid() || info.st_uid == 0;
        bool others_write = (info.st_mode & (S_IWGRP | S_IWOTH)) != 0;
        // A shared sticky directory (/tmp) protects its files from others.
        bool sticky_dir = path != file && (info.st_mode & S_ISVTX) != 0;
        if (!owner_trusted) {
            throw Error(ErrorKind::Environment,
                        "plugin " + file.string() + " refused: " + path.string() +
                            " belongs to user " + std::to_string(info.st_uid) +
                            ", neither this user nor root");
        }
        if (others_write && !sticky_dir) {
            throw Error(ErrorKind::Environment,
                        "plugin " + file.string() + " refused: " + path.string() +
                            " is writable by its group or by others (chmod go-w " + path.string() +
                            ")");
        }
    }
}

// atomixtest-KIND-NAME.so: what a file offers, known without loading it.
std::optional<std::pair<PluginKind, std::string>> kind_and_name_of(const fs::path& file) {
    if (file.extension() != ".so") return std::nullopt;
    auto stem = file.stem().string();
    for (auto kind : {PluginKind::Backend, PluginKind::Fault, PluginKind::Client}) {
        auto prefix = std::string("atomixtest-") + to_string(kind) + "-";
        if (stem.rfind(prefix, 0) == 0 && stem.size() > prefix.size()) {
            return std::make_pair(kind, stem.substr(prefix.size()));
        }
    }
    return std::nullopt;
}

}  // namespace

const PluginDescriptor& PluginHost::load_file(const fs::path& file) {
    check_who_could_write(file);
    // Never unloaded: see the header.
    // Never destroyed either: at exit, a static holding a plugin's object
    // (a Workspace) may be destroyed after this map, and its destructor's code
    // must still be mapped.
    static auto* mutex = new std::mutex;
    static auto* loaded = new std::map<fs::path, std::unique_ptr<boost::dll::shared_library>>;
    std::lock_guard lock(*mutex);
    auto& library = (*loaded)[file];
    if (!library) {
        boost::system::error_code error;
        auto candidate = std::make_unique<boost::dll::shared_library>(
            boost::dll::fs::path(file.string()), boost::dll::load_mode::rtld_now, error);
        if (error) {
            loaded->erase(file);
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

std::vector<fs::path> PluginHost::directories() const {
    // One directory may be named twice (the executable's and the library's
    // neighbours in a build tree): it is searched once.
    std::vector<fs::path> distinct;
    std::set<fs::path> seen;
    for (const auto& dir : search_path_) {
        std::error_code error;
        auto canonical = fs::canonical(dir, error);
        if (error) continue;
        if (seen.insert(canonical).second) distinct.push_back(dir);
    }
    return distinct;
}

void* PluginHost::create(PluginKind kind, const std::string& name) {
    std::string file_name = std::string("atomixtest-") + to_string(kind) + "-" + name + ".so";
    std::vector<fs::path> found;
    for (const auto& dir : directories()) {
        if (fs::exists(dir / file_name)) found.push_back(dir / file_name);
    }
    if (found.size() > 1) {
        throw Error(ErrorKind::Environment,
                    std::string(to_string(kind)) + " plugin '" + name +
                        "' is on the plugin path twice: " + found[0].string() + " and " +
                        found[1].string() + "; remove one of them from the plugin path");
    }
    for (const auto& file : found) {
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
    for (const auto& each : names(kind)) known += (known.empty() ? "" : ", ") + each;
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

void PluginHost::add(PluginKind kind, const std::string& name, std::shared_ptr<void> instance,
                     std::string description) {
    instances_[std::string(to_string(kind)) + "/" + name] = std::move(instance);
    added_.push_back({kind, name, std::move(description), {}});
}

std::vector<std::string> PluginHost::names(PluginKind kind) const {
    std::set<std::string> names;
    for (const auto& listing : added_) {
        if (listing.kind == kind) names.insert(listing.name);
    }
    for (const auto& dir : directories()) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(dir, error)) {
            auto offered = kind_and_name_of(entry.path());
            if (offered && offered->first == kind) names.insert(offered->second);
        }
    }
    return {names.begin(), names.end()};
}

PluginScan PluginHost::scan() {
    PluginScan scan;
    scan.loaded = added_;
    std::map<std::string, fs::path> seen;
    for (const auto& dir : directories()) {
        std::error_code error;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir, error)) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            auto stem = file.stem().string();
            if (file.extension() != ".so" || stem.rfind("atomixtest-", 0) != 0) continue;
            // One name, one file: a second is refused by the catalog, which
            // names both, rather than one of them winning unnoticed.
            if (auto [first, added] = seen.emplace(stem, file); !added) {
                scan.duplicates.emplace_back(first->second, file);
                continue;
            }
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
