// A tar built in memory: image layers, and files copied into a container
// (PUT /containers/{id}/archive) without touching the disk.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <memory>
#include <string>

namespace atomixtest::image {

class TarWriter {
  public:
    TarWriter();
    void add_file(const std::string& name, const std::string& content, int mode = 0644);
    void add_directory(const std::string& name, int mode);
    void add_symlink(const std::string& name, const std::string& target);
    std::string finish();

  private:
    using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;
    static Entry new_entry(const std::string& name, unsigned type, int mode);
    void check(int status, const std::string& name);
    static la_ssize_t write(archive*, void* out, const void* data, size_t size);

    std::unique_ptr<archive, decltype(&archive_write_free)> archive_;
    std::string out_;
};

// A tar holding `dir` and, under it, each file (relative path -> content),
// with the directories on the way.
std::string files_archive(const std::string& dir, const std::map<std::string, std::string>& files);

}  // namespace atomixtest::image
