#include "host_files.hpp"

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"

namespace atomixtest::image {

namespace fs = std::filesystem;

namespace {

class Closure {
  public:
    // A directory is taken whole when asked for; one met as a link's target
    // or a parent is only created.
    // `required`: a path asked for must exist; a link met inside a directory
    // taken whole may dangle (a JDK's lib/src.zip without its sources), and is
    // then kept as the dangling link it is here.
    void add(const std::string& path, bool whole_directory = true, bool required = true) {
        if (!visited_.insert(path + (whole_directory ? "/*" : "")).second) return;
        // Walk the path one component at a time so that symlinked directories
        // (/lib on a merged-/usr system) are recorded as links, as here.
        fs::path walked = "/";
        fs::path whole(path);
        for (auto part = ++whole.begin(); part != whole.end(); ++part) {
            walked /= *part;
            std::error_code error;
            auto status = fs::symlink_status(walked, error);
            if (error || !fs::exists(status)) {
                if (!required) return;
                throw bad_input("cannot put " + path + " in an image: " + walked.string() +
                                " does not exist");
            }
            if (fs::is_symlink(status)) {
                auto target = fs::read_symlink(walked);
                entries_[walked.string()] = {HostEntry::Kind::Symlink, target.string()};
                auto resolved = target.is_absolute() ? target : walked.parent_path() / target;
                // Not canonical: the target may itself be a link to keep
                // (/usr/sbin/iptables -> /etc/alternatives/iptables -> ...).
                add(resolved.lexically_normal().string(),
                    whole_directory && last_component(part, whole), required);
                // The rest of the path continues below the real directory.
                walked = fs::canonical(walked, error);
                if (error) return;  // a dangling link, allowed above
                continue;
            }
            bool last = std::next(part) == whole.end();
            if (!last || fs::is_directory(status)) {
                entries_.try_emplace(walked.string(), HostEntry{HostEntry::Kind::Directory, {}});
            }
            if (last && fs::is_directory(status) && whole_directory) {
                for (const auto& child : fs::directory_iterator(walked)) {
                    add(child.path().string(), true, false);
                }
            } else if (last && fs::is_regular_file(status)) {
                entries_[walked.string()] = {HostEntry::Kind::File, {}};
                if (is_elf(walked.string())) {
                    elf_files_.push_back(walked.string());
                    if (!required) found_inside_.insert(walked.string());
                }
            }
        }
    }

    // ldd lists libraries of libraries too, so one pass over the programs
    // found so far is the whole closure; one ldd for all of them.
    void add_libraries() {
        if (elf_files_.empty()) return;
        std::vector<std::string> argv = {"ldd"};
        argv.insert(argv.end(), elf_files_.begin(), elf_files_.end());
        auto result = run_process({.argv = argv, .timeout = std::chrono::seconds(60)});
        // "libx.so.1 => /lib/.../libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
        static const std::regex resolved(R"((?:=>\s+)?(/[^\s]+)\s+\(0x)");
        std::istringstream lines(result.out);
        std::string line, file = elf_files_.front();
        while (std::getline(lines, line)) {
            if (!line.empty() && line[0] == '/' && line.back() == ':') {
                file = line.substr(0, line.size() - 1);  // "FILE:" heads each file's list
                continue;
            }
            // A library inside a directory taken whole may find its peers by
            // its own RPATH ($ORIGIN/server for a JDK's libjvm.so), which ldd
            // does not follow; what the directory holds comes with it anyway.
            if (line.find("not found") != std::string::npos && found_inside_.count(file) == 0) {
                throw bad_input("cannot put " + file + " in an image: a library it needs is " +
                                "missing here:" + line);
            }
            std::smatch match;
            if (line.find("not found") == std::string::npos &&
                std::regex_search(line, match, resolved)) {
                // ldd may name a library through ".." ($ORIGIN/../lib).
                add(fs::path(match[1].str()).lexically_normal().string(), false);
            }
        }
    }

    std::map<std::string, HostEntry> take() { return std::move(entries_); }

  private:
    static bool last_component(fs::path::iterator part, const fs::path& whole) {
        return std::next(part) == whole.end();
    }

    static bool is_elf(const std::string& file) {
        char magic[4] = {};
        FILE* in = fopen(file.c_str(), "rb");
        if (!in) return false;
        size_t n = fread(magic, 1, 4, in);
        fclose(in);
        return n == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    }

    std::vector<std::string> elf_files_;
    std::set<std::string> found_inside_;  // ELF files met inside a directory taken whole
    std::set<std::string> visited_;
    std::map<std::string, HostEntry> entries_;
};

}  // namespace

std::map<std::string, HostEntry> host_file_closure(const std::vector<std::string>& entries,
                                                   bool with_libraries) {
    Closure closure;
    for (const auto& entry : entries) {
        std::string path = entry;
        if (entry.find('/') == std::string::npos) {
            path = find_executable(entry);
            if (path.empty()) {
                throw bad_input("cannot assemble an image: '" + entry +
                                "' is not an executable on PATH");
            }
        } else if (!fs::path(entry).is_absolute()) {
            throw bad_input("cannot assemble an image: '" + entry +
                            "' must be an absolute path or a name on PATH");
        }
        closure.add(path);
    }
    if (with_libraries) closure.add_libraries();
    return closure.take();
}

}  // namespace atomixtest::image
