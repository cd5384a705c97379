#include "atomixtest/testing/test_names.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <functional>

namespace atomixtest {

namespace {

constexpr size_t kMaxClusterName = 40;  // validate_cluster_name's limit

// "IsolatedNode/WriteFails_1" -> "isolated-node-write-fails-1".
std::string words_of(const std::string& text) {
    std::string words;
    char previous = 0;
    for (char c : text) {
        bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
        bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
        // A new word at an upper-case letter after a lower-case one or a digit.
        if (upper && previous &&
            (std::islower(static_cast<unsigned char>(previous)) ||
             std::isdigit(static_cast<unsigned char>(previous)))) {
            words += '-';
        }
        if (alnum) {
            words += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!words.empty() && words.back() != '-') {
            words += '-';
        }
        previous = c;
    }
    while (!words.empty() && words.back() == '-') words.pop_back();
    return words;
}

std::string short_hash(const std::string& text) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04zx", std::hash<std::string>{}(text)&0xffff);
    return hex;
}

}  // namespace

std::string cluster_name_for_test(const std::string& suite, const std::string& test,
                                  const std::string& suffix) {
    std::string stem = words_of(suite + "-" + test);
    if (stem.empty()) stem = "test";
    std::string tail = suffix.empty() ? "" : "-" + suffix;
    if (stem.size() + tail.size() > kMaxClusterName) {
        std::string hash = "-" + short_hash(stem);
        size_t room = kMaxClusterName - tail.size() - hash.size();
        stem = stem.substr(0, room);
        while (!stem.empty() && stem.back() == '-') stem.pop_back();
        stem += hash;
    }
    return stem + tail;
}

std::string process_suffix() {
    return std::to_string(getpid());
}

std::string generated_cluster_name() {
    static std::atomic<int> count = 0;
    return "api-" + process_suffix() + "-" + std::to_string(++count);
}

}  // namespace atomixtest
