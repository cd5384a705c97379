#include "image_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "atomixtest/error.hpp"

namespace atomixtest::docker {

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

// A tar written into a string.
class TarWriter {
  public:
    TarWriter() : archive_(archive_write_new(), archive_write_free) {
        archive_write_set_format_pax_restricted(archive_.get());
        archive_write_open(archive_.get(), &out_, nullptr, &TarWriter::write, nullptr);
    }

    void add_file(const std::string& name, const std::string& content, int mode = 0644) {
        auto entry = new_entry(name, AE_IFREG, mode);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
        check(archive_write_header(archive_.get(), entry.get()), name);
        if (!content.empty()) archive_write_data(archive_.get(), content.data(), content.size());
    }
    void add_directory(const std::string& name, int mode) {
        auto entry = new_entry(name, AE_IFDIR, mode);
        check(archive_write_header(archive_.get(), entry.get()), name);
    }
    void add_symlink(const std::string& name, const std::string& target) {
        auto entry = new_entry(name, AE_IFLNK, 0777);
        archive_entry_set_symlink(entry.get(), target.c_str());
        check(archive_write_header(archive_.get(), entry.get()), name);
    }

    std::string finish() {
        archive_write_close(archive_.get());
        return std::move(out_);
    }

  private:
    using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;
    static Entry new_entry(const std::string& name, unsigned type, int mode) {
        Entry entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), name.c_str());
        archive_entry_set_filetype(entry.get(), type);
        archive_entry_set_perm(entry.get(), static_cast<mode_t>(mode));
        return entry;
    }
    void check(int status, const std::string& name) {
        if (status != ARCHIVE_OK) {
            throw environment_error("cannot add " + name +
                                    " to an image: " + archive_error_string(archive_.get()));
        }
    }
    static la_ssize_t write(archive*, void* out, const void* data, size_t size) {
        static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
        return static_cast<la_ssize_t>(size);
    }

    std::unique_ptr<archive, decltype(&archive_write_free)> archive_;
    std::string out_;
};

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

std::string build_image_archive(const ImageRecipe& recipe) {
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
    auto config_text = config.dump();
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

}  // namespace atomixtest::docker
