// Images assembled from host files: the closure of a program (its libraries
// and the links on the way) and the docker-save tar the engine loads.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "atomixtest/error.hpp"
#include "image/host_files.hpp"
#include "image/image_archive.hpp"

namespace atomixtest::image {
namespace {

std::map<std::string, std::string> read_tar(const std::string& tar) {
    std::map<std::string, std::string> files;
    auto* reader = archive_read_new();
    archive_read_support_format_tar(reader);
    archive_read_open_memory(reader, tar.data(), tar.size());
    archive_entry* entry = nullptr;
    while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
        std::string content(static_cast<size_t>(archive_entry_size(entry)), '\0');
        if (!content.empty()) archive_read_data(reader, content.data(), content.size());
        std::string name = archive_entry_pathname(entry);
        if (archive_entry_filetype(entry) == AE_IFLNK) content = archive_entry_symlink(entry);
        files[name] = content;
    }
    archive_read_free(reader);
    return files;
}

TEST(HostFiles, AProgramBringsItsLibrariesAndTheLinksOnTheWay) {
    auto files = host_file_closure({"sh"});
    auto sh = std::filesystem::canonical("/bin/sh").string();
    bool has_libc = false, has_loader = false;
    for (const auto& [path, entry] : files) {
        if (path.find("libc.so") != std::string::npos) has_libc = true;
        if (path.find("ld-linux") != std::string::npos) has_loader = true;
    }
    EXPECT_TRUE(has_libc);
    EXPECT_TRUE(has_loader);
    EXPECT_TRUE(files.count(sh)) << sh;
    if (std::filesystem::is_symlink("/lib")) {
        ASSERT_TRUE(files.count("/lib"));
        EXPECT_EQ(files.at("/lib").kind, HostEntry::Kind::Symlink) << "merged /usr kept as here";
    }
}

TEST(HostFiles, AMissingEntryIsNamed) {
    try {
        host_file_closure({"no-such-program-here"});
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_NE(std::string(error.what()).find("no-such-program-here"), std::string::npos);
    }
    EXPECT_THROW(host_file_closure({"relative/path"}), Error);
}

TEST(ImageArchive, AnEmptyDirectoryAlsoBroughtByAFileIsWrittenOnce) {
    auto dir = std::filesystem::temp_directory_path() / ("image-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "file") << "content";
    auto files = host_file_closure({(dir / "file").string()}, false);  // brings /tmp as a parent
    ASSERT_TRUE(files.count("/tmp"));
    auto tar = build_image_archive({.tag = "t:1", .files = files, .empty_dirs = {"/tmp"}});
    std::filesystem::remove_all(dir);
    auto outer = read_tar(tar);
    auto manifest = nlohmann::json::parse(outer["manifest.json"]);
    std::string layer = outer[manifest[0]["Layers"][0].get<std::string>()];
    auto* reader = archive_read_new();
    archive_read_support_format_tar(reader);
    archive_read_open_memory(reader, layer.data(), layer.size());
    archive_entry* entry = nullptr;
    int tmp_entries = 0;
    while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(entry);
        if (name == "tmp" || name == "tmp/") ++tmp_entries;
    }
    archive_read_free(reader);
    EXPECT_EQ(tmp_entries, 1);
}

TEST(ImageArchive, DockerSaveLayoutWithContentAddressedLayer) {
    auto files = host_file_closure({"sh"}, false);
    auto tar = build_image_archive({.tag = "atomix-test/unit:1",
                                    .files = files,
                                    .empty_dirs = {"/tmp"},
                                    .entrypoint = {"/bin/sh"}});
    auto outer = read_tar(tar);
    ASSERT_TRUE(outer.count("manifest.json"));
    auto manifest = nlohmann::json::parse(outer["manifest.json"]);
    ASSERT_EQ(manifest.size(), 1u);
    EXPECT_EQ(manifest[0]["RepoTags"][0], "atomix-test/unit:1");
    std::string layer_name = manifest[0]["Layers"][0];
    std::string config_name = manifest[0]["Config"];
    ASSERT_TRUE(outer.count(layer_name) && outer.count(config_name));
    auto config = nlohmann::json::parse(outer[config_name]);
    EXPECT_EQ(config["rootfs"]["diff_ids"][0], "sha256:" + sha256_hex(outer[layer_name]));
    EXPECT_EQ(config_name, sha256_hex(outer[config_name]) + ".json");
    EXPECT_EQ(config["config"]["Entrypoint"][0], "/bin/sh");
    auto layer = read_tar(outer[layer_name]);
    EXPECT_TRUE(layer.count("tmp") || layer.count("tmp/"));
    auto sh = std::filesystem::canonical("/bin/sh").string().substr(1);
    ASSERT_TRUE(layer.count(sh)) << sh;
    EXPECT_EQ(layer[sh].size(), std::filesystem::file_size("/" + sh));
}

}  // namespace
}  // namespace atomixtest::image
