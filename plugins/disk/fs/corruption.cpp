#include "corruption.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "atomixtest/error.hpp"
#include "util/fd.hpp"

namespace atomixtest::disk {

namespace {

void walk(int dir, const std::string& prefix, std::vector<std::string>& out) {
    int fd = openat(dir, prefix.empty() ? "." : prefix.c_str(),
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    DIR* entries = fdopendir(fd);
    if (!entries) {
        close(fd);
        return;
    }
    while (auto* entry = readdir(entries)) {
        if (!std::strcmp(entry->d_name, ".") || !std::strcmp(entry->d_name, "..")) continue;
        auto path = prefix.empty() ? std::string(entry->d_name) : prefix + "/" + entry->d_name;
        struct stat st {};
        if (fstatat(dir, path.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode)) walk(dir, path, out);
        if (S_ISREG(st.st_mode)) out.push_back(path);
    }
    closedir(entries);
}

// The generator's raw output, as the nemesis draws: the same on any machine.
uint64_t below(std::mt19937_64& random, uint64_t bound) {
    return bound == 0 ? 0 : random() % bound;
}

}  // namespace

Corruption Corruption::from_json(const nlohmann::json& json) {
    Corruption corruption;
    corruption.path = json.value("path", std::string("*"));
    corruption.mode = json.value("mode", std::string("bitflip"));
    corruption.bytes = json.value("bytes", int64_t{1});
    if (json.contains("offset") && !json.at("offset").is_null()) {
        corruption.offset = json.at("offset").get<int64_t>();
    }
    corruption.seed = json.value("seed", uint64_t{0});
    return corruption;
}

std::vector<std::string> files_matching(int lower, const std::string& glob) {
    std::vector<std::string> all, matching;
    walk(lower, "", all);
    for (const auto& path : all) {
        if (fnmatch(glob.c_str(), path.c_str(), 0) == 0) matching.push_back(path);
    }
    std::sort(matching.begin(), matching.end());
    return matching;
}

nlohmann::json corrupt(int lower, const Corruption& corruption) {
    std::vector<std::pair<std::string, int64_t>> candidates;
    for (const auto& path : files_matching(lower, corruption.path)) {
        struct stat st {};
        if (fstatat(lower, path.c_str(), &st, 0) == 0 && st.st_size > 0) {
            candidates.emplace_back(path, st.st_size);
        }
    }
    if (candidates.empty()) {
        throw bad_input("disk.corrupt: no non-empty file of the data dir matches '" +
                        corruption.path + "'");
    }
    std::mt19937_64 random(corruption.seed);
    const auto& [file, size] = candidates[below(random, candidates.size())];
    int64_t bytes = std::clamp<int64_t>(corruption.bytes, 1, size);
    int64_t offset = 0;
    if (corruption.offset) {
        offset = *corruption.offset;
        if (offset >= size) {
            throw bad_input("disk.corrupt: offset " + std::to_string(offset) +
                            " is past the end of " + file + " (" + std::to_string(size) +
                            " bytes)");
        }
        bytes = std::min(bytes, size - offset);
    } else if (corruption.mode == "truncate") {
        offset = size - bytes;
    } else {
        offset = static_cast<int64_t>(below(random, static_cast<uint64_t>(size - bytes + 1)));
    }
    UniqueFd fd(openat(lower, file.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd) throw environment_error("disk.corrupt: cannot open " + file + ": " + strerror(errno));
    int64_t new_size = size;
    std::string region(static_cast<size_t>(bytes), '\0');
    if (corruption.mode == "truncate") {
        if (ftruncate(fd.get(), offset) != 0) throw environment_error("truncate " + file);
        new_size = offset;
        bytes = size - offset;
    } else {
        if (corruption.mode == "bitflip") {
            if (pread(fd.get(), region.data(), region.size(), offset) != bytes)
                throw environment_error("disk.corrupt: cannot read " + file);
            for (auto& byte : region) byte ^= static_cast<char>(1u << below(random, 8));
        }
        if (pwrite(fd.get(), region.data(), region.size(), offset) != bytes)
            throw environment_error("disk.corrupt: cannot write " + file);
    }
    fsync(fd.get());
    // Read back: the damage is there, or the fault did not happen.
    struct stat after {};
    bool held = fstat(fd.get(), &after) == 0 && after.st_size == new_size;
    if (held && corruption.mode != "truncate") {
        std::string seen(region.size(), '\0');
        held = pread(fd.get(), seen.data(), seen.size(), offset) == bytes && seen == region;
    }
    if (!held) {
        throw Error(ErrorKind::Unavailable,
                    "disk.corrupt: the damage to " + file + " did not read back");
    }
    return {{"file", file}, {"mode", corruption.mode}, {"offset", offset}, {"bytes", bytes},
            {"size", size}, {"new_size", new_size}};
}

}  // namespace atomixtest::disk
