#include "assembled_image.hpp"

#include <sys/stat.h>

#include "image_archive.hpp"

namespace atomixtest::image {

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

}  // namespace

std::string assembled_image_tag(const std::string& name,
                                const std::vector<std::string>& host_files) {
    return "atomix-test/" + name + ":" +
           recipe_key(host_file_closure(host_files, false)).substr(0, 16);
}

namespace {

ImageRecipe assembled_recipe(const std::string& name, const std::string& tag,
                             const std::vector<std::string>& host_files) {
    return {.tag = tag,
            .files = host_file_closure(host_files),
            .empty_dirs = kEmptyDirs,
            .labels = {{"io.atomix-test.image", name}}};
}

}  // namespace

std::string assembled_image_archive(const std::string& name, const std::string& tag,
                                    const std::vector<std::string>& host_files) {
    return build_image_archive(assembled_recipe(name, tag, host_files));
}

ImageParts assembled_image_parts(const std::string& name,
                                 const std::vector<std::string>& host_files) {
    return build_image_parts(assembled_recipe(name, "", host_files));
}

}  // namespace atomixtest::image
