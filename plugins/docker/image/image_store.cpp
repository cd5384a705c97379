#include "image_store.hpp"

#include <sys/stat.h>

#include "atomixtest/error.hpp"
#include "image/image_archive.hpp"

namespace atomixtest::docker {

using image::build_image_archive;
using image::host_file_closure;
using image::HostEntry;
using image::ImageRecipe;
using image::sha256_hex;

namespace {

// Directories every assembled image has, for programs that expect them.
const std::vector<std::string> kEmptyDirs = {"/tmp", "/data", "/log", "/run"};

// What identifies an assembly: each named file's path, kind, size and
// modification time (reading every byte of a JRE on each setup would cost
// more than the setup), the empty directories, and the dynamic linker's cache,
// which ldconfig rewrites whenever a library is installed or upgraded: so the
// libraries need not be resolved (one ldd per program) to find the image.
std::string recipe_key(const std::map<std::string, HostEntry>& files) {
    std::string text = "atomix-test image v2\n";
    struct stat cache {};
    stat("/etc/ld.so.cache", &cache);
    text += std::to_string(cache.st_size) + " " + std::to_string(cache.st_mtim.tv_sec) + "." +
            std::to_string(cache.st_mtim.tv_nsec) + "\n";
    for (const auto& [path, entry] : files) {
        // A directory's time moves whenever anything in it changes (/tmp
        // above a build tree): its files speak for it.
        if (entry.kind == HostEntry::Kind::Directory) continue;
        struct stat info {};
        lstat(path.c_str(), &info);
        text += path + " " + std::to_string(static_cast<int>(entry.kind)) + " " +
                entry.link_target + " " + std::to_string(info.st_size) + " " +
                std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec) +
                "\n";
    }
    for (const auto& dir : kEmptyDirs) text += dir + "\n";
    return sha256_hex(text);
}

bool engine_has(EngineClient& engine, const std::string& reference) {
    try {
        engine.get("/images/" + reference + "/json");
        return true;
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::NotFound) return false;
        throw;
    }
}

// Load and pull answer 200 and report failure inside the streamed JSON.
void check_progress_stream(const std::string& body, const std::string& what) {
    size_t start = 0;
    while (start < body.size()) {
        size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        auto line = nlohmann::json::parse(body.substr(start, end - start), nullptr, false);
        if (line.is_object() && line.contains("error")) {
            throw environment_error(what + ": " + line["error"].get<std::string>());
        }
        start = end + 1;
    }
}

}  // namespace

std::string ensure_assembled_image(EngineClient& engine, const std::string& name,
                                   const std::vector<std::string>& host_files) {
    auto tag = "atomix-test/" + name + ":" +
               recipe_key(host_file_closure(host_files, false)).substr(0, 16);
    if (engine_has(engine, tag)) return tag;
    ImageRecipe recipe{.tag = tag,
                       .files = host_file_closure(host_files),
                       .empty_dirs = kEmptyDirs,
                       .labels = {{"io.atomix-test.image", name}}};
    auto archive = build_image_archive(recipe);
    auto reply = engine.call("POST", "/images/load?quiet=1", archive, "application/x-tar",
                             std::chrono::minutes(5));
    check_progress_stream(reply.body, "the Docker engine refused the image " + tag);
    return tag;
}

std::string ensure_named_image(EngineClient& engine, const std::string& name) {
    if (engine_has(engine, name)) return name;
    auto colon = name.rfind(':');
    bool tagged = colon != std::string::npos && name.find('/', colon) == std::string::npos;
    auto repository = tagged ? name.substr(0, colon) : name;
    auto tag = tagged ? name.substr(colon + 1) : "latest";
    auto reply = engine.call("POST", "/images/create?fromImage=" + repository + "&tag=" + tag, "",
                             "application/json", std::chrono::minutes(10));
    check_progress_stream(reply.body, "cannot pull " + name);
    return name;
}

}  // namespace atomixtest::docker
