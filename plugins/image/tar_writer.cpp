#include "tar_writer.hpp"

#include <filesystem>
#include <set>

#include "atomixtest/error.hpp"

namespace atomixtest::image {

TarWriter::TarWriter() : archive_(archive_write_new(), archive_write_free) {
    archive_write_set_format_pax_restricted(archive_.get());
    archive_write_open(archive_.get(), &out_, nullptr, &TarWriter::write, nullptr);
}

void TarWriter::add_file(const std::string& name, const std::string& content, int mode) {
    auto entry = new_entry(name, AE_IFREG, mode);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
    check(archive_write_header(archive_.get(), entry.get()), name);
    if (!content.empty()) archive_write_data(archive_.get(), content.data(), content.size());
}

void TarWriter::add_directory(const std::string& name, int mode) {
    auto entry = new_entry(name, AE_IFDIR, mode);
    check(archive_write_header(archive_.get(), entry.get()), name);
}

void TarWriter::add_symlink(const std::string& name, const std::string& target) {
    auto entry = new_entry(name, AE_IFLNK, 0777);
    archive_entry_set_symlink(entry.get(), target.c_str());
    check(archive_write_header(archive_.get(), entry.get()), name);
}

std::string TarWriter::finish() {
    archive_write_close(archive_.get());
    return std::move(out_);
}

TarWriter::Entry TarWriter::new_entry(const std::string& name, unsigned type, int mode) {
    Entry entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), type);
    archive_entry_set_perm(entry.get(), static_cast<mode_t>(mode));
    return entry;
}

void TarWriter::check(int status, const std::string& name) {
    if (status != ARCHIVE_OK) {
        throw environment_error("cannot add " + name +
                                " to a tar: " + archive_error_string(archive_.get()));
    }
}

la_ssize_t TarWriter::write(archive*, void* out, const void* data, size_t size) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
    return static_cast<la_ssize_t>(size);
}

std::string files_archive(const std::string& dir, const std::map<std::string, std::string>& files) {
    TarWriter tar;
    auto root = std::filesystem::path(dir).relative_path();
    std::set<std::string> made;
    for (const auto& [relative, content] : files) {
        auto path = root / relative;
        std::filesystem::path parent;
        for (const auto& part : path.parent_path()) {
            parent /= part;
            if (made.insert(parent.string()).second) tar.add_directory(parent.string(), 0755);
        }
        tar.add_file(path.string(), content);
    }
    return tar.finish();
}

}  // namespace atomixtest::image
