#include "image_archive.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "atomixtest/error.hpp"
#include "tar_writer.hpp"

namespace atomixtest::image {

std::string sha256_hex(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

namespace {

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw environment_error("cannot read " + path + " to put it in an image");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int host_mode(const std::string& path) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return 0755;
    return static_cast<int>(info.st_mode & 07777);
}

std::string layer_of(const ImageRecipe& recipe) {
    TarWriter layer;
    // std::map orders parents before their children.
    for (const auto& [path, entry] : recipe.files) {
        auto name = path.substr(1);
        switch (entry.kind) {
            case HostEntry::Kind::Directory:
                layer.add_directory(name, host_mode(path));
                break;
            case HostEntry::Kind::Symlink:
                layer.add_symlink(name, entry.link_target);
                break;
            case HostEntry::Kind::File:
                layer.add_file(name, read_whole(path), host_mode(path));
                break;
        }
    }
    // The engine refuses a path twice (a build tree under /tmp brings /tmp).
    for (const auto& dir : recipe.empty_dirs) {
        if (!recipe.files.count(dir)) layer.add_directory(dir.substr(1), 01777);
    }
    return layer.finish();
}

}  // namespace

ImageParts build_image_parts(const ImageRecipe& recipe) {
    auto layer = layer_of(recipe);
    auto layer_digest = sha256_hex(layer);
    nlohmann::json config = {
        {"architecture", "amd64"},
        {"os", "linux"},
        {"config",
         {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
          {"Labels", recipe.labels},
          {"WorkingDir", "/"}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:" + layer_digest}}}}};
    if (!recipe.entrypoint.empty()) config["config"]["Entrypoint"] = recipe.entrypoint;
    return {std::move(layer), config.dump()};
}

std::string build_image_archive(const ImageRecipe& recipe) {
    auto [layer, config_text] = build_image_parts(recipe);
    auto layer_digest = sha256_hex(layer);
    auto config_name = sha256_hex(config_text) + ".json";
    nlohmann::json manifest = nlohmann::json::array({{{"Config", config_name},
                                                      {"RepoTags", {recipe.tag}},
                                                      {"Layers", {layer_digest + "/layer.tar"}}}});
    TarWriter image;
    image.add_directory(layer_digest, 0755);
    image.add_file(layer_digest + "/layer.tar", layer);
    image.add_file(config_name, config_text);
    image.add_file("manifest.json", manifest.dump());
    return image.finish();
}

}  // namespace atomixtest::image
