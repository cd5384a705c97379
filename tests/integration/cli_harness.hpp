// Runs the real atomix-test binary, as a user would, and inspects what it left
// on the machine.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/process.hpp"
#include "build_paths.hpp"

namespace atomixtest::testing {

inline ProcessResult cli(std::vector<std::string> args,
                         std::chrono::milliseconds timeout = std::chrono::minutes(3)) {
    args.insert(args.begin(), cli_path().string());
    return run_process({.argv = args, .timeout = timeout});
}

// The outcome of a suite's shared set-up. An ASSERT in SetUpTestSuite makes
// GoogleTest skip the suite's tests, and CTest counts a skipped test as passed,
// so a failed set-up is kept here and fails each test of the suite instead.
struct SuiteSetUp {
    std::string failure;
    void run(const std::vector<std::string>& args) {
        auto result = cli(args);
        if (result.exit_code != 0) {
            failure = "the suite's set-up failed (exit " + std::to_string(result.exit_code) +
                      "):\n" + result.out + result.err;
        }
    }
};

// A cluster name unique to this test process.
inline std::string unique_cluster(const std::string& stem) {
    return stem + "-" + std::to_string(getpid() % 100000);
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::vector<std::string> namespaces_of(const std::string& cluster) {
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
        auto name = entry.path().filename().string();
        if (name.rfind("atomix-test." + cluster + ".", 0) == 0) found.push_back(name);
    }
    return found;
}

// Processes (other than this one) whose command line, its NULs as they are,
// satisfies the test.
template <typename Test>
std::vector<int> processes_whose_command_line(Test test) {
    std::vector<int> pids;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        FILE* file = fopen((entry.path() / "cmdline").c_str(), "r");
        if (!file) continue;
        char buffer[4096];
        size_t n = fread(buffer, 1, sizeof buffer, file);
        fclose(file);
        if (test(std::string(buffer, n)) && std::stoi(name) != getpid()) {
            pids.push_back(std::stoi(name));
        }
    }
    return pids;
}

// Processes whose command line mentions the text (e.g. a cluster's state dir).
inline std::vector<int> processes_mentioning(const std::string& text) {
    return processes_whose_command_line(
        [&text](const std::string& line) { return line.find(text) != std::string::npos; });
}

// Processes of a program: argv[0], its directory left out, starts with the
// name (stress-ng's workers are "stress-ng-cpu"). A compiler that builds the
// program, its name all over its arguments, is not one.
inline std::vector<int> processes_running(const std::string& program) {
    return processes_whose_command_line([&program](const std::string& line) {
        auto argv0 = line.substr(0, line.find('\0'));
        auto slash = argv0.rfind('/');
        return argv0.compare(slash == std::string::npos ? 0 : slash + 1, program.size(), program) ==
               0;
    });
}

inline std::filesystem::path state_dir() {
    const char* dir = std::getenv("ATOMIX_TEST_STATE_DIR");
    return dir ? dir : "/var/lib/atomix-test";
}

inline std::string host_ruleset() {
    // Stateless (-s): the host's own counters move with its traffic.
    return run_process({.argv = {"nft", "-s", "list", "ruleset"}}).out;
}

// etcd's JSON gateway, spoken directly (not through the client plugin), so the
// tests check the cluster itself.
inline std::string b64(const std::string& text) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned value = 0;
    int bits = -6;
    for (unsigned char c : text) {
        value = (value << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(alphabet[(value >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(alphabet[((value << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

inline HttpResponse etcd_put(int port, const std::string& key, const std::string& value,
                             std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return http_request({.method = "POST",
                         .url = "http://127.0.0.1:" + std::to_string(port) + "/v3/kv/put",
                         .body = nlohmann::json{{"key", b64(key)}, {"value", b64(value)}}.dump(),
                         .timeout = timeout});
}

// The value's base64 as etcd returns it, or "" when absent.
inline std::string etcd_get_b64(int port, const std::string& key,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto response =
        http_request({.method = "POST",
                      .url = "http://127.0.0.1:" + std::to_string(port) + "/v3/kv/range",
                      .body = nlohmann::json{{"key", b64(key)}}.dump(),
                      .timeout = timeout});
    auto json = nlohmann::json::parse(response.body);
    if (!json.contains("kvs")) return "";
    return json["kvs"][0]["value"];
}

inline nlohmann::json nodes_json(const std::string& cluster) {
    auto result = cli({"cluster", cluster, "nodes", "--json"});
    if (result.exit_code != 0) return nlohmann::json::array();
    return nlohmann::json::parse(result.out);
}

inline int local_port(const std::string& cluster, int node) {
    for (const auto& entry : nodes_json(cluster)) {
        if (entry["id"] == node) return entry["local_port"];
    }
    return 0;
}

inline std::string node_ip(const std::string& cluster, int node) {
    for (const auto& entry : nodes_json(cluster)) {
        if (entry["id"] == node) return entry["ip"];
    }
    return "";
}

// Whether a TCP connection from inside one node's namespace to another node's
// port opens within a second: the network as the nodes see it.
inline bool reaches(const std::string& cluster, int from, int to, int port) {
    auto target = "/dev/tcp/" + node_ip(cluster, to) + "/" + std::to_string(port);
    auto result = run_process(
        {.argv = {"ip", "netns", "exec", "atomix-test." + cluster + "." + std::to_string(from),
                  "timeout", "1", "bash", "-c", "exec 3<>" + target},
         .timeout = std::chrono::seconds(5)});
    return result.exit_code == 0;
}

// Tries until the timeout is spent: right after a kill or a heal etcd answers
// "leader changed" or "no leader" for a moment. Writing the same value again
// is harmless here.
inline bool write_succeeds(int port, const std::string& key, const std::string& value,
                           std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= std::chrono::milliseconds(0)) return false;
        try {
            // A write sent to a follower of a leader just cut off is lost with
            // it and answered only by etcd's own timeout (7 s): try again sooner.
            if (etcd_put(port, key, value, std::min(left, std::chrono::milliseconds(3000)))
                    .status == 200) {
                return true;
            }
        } catch (const Error&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Whether requests through a LOCAL PORT come to be refused outright (the
// client can tell they were certainly not done) within the limit, as the
// node's own port refuses them while it is down.
inline bool requests_refused(int port, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            etcd_get_b64(port, "refused?", std::chrono::milliseconds(500));
        } catch (const Error& error) {
            if (error.kind() == ErrorKind::Unavailable) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

// After a heal the old leader's term may force an election: retry for a while.
inline std::string eventually_get(int port, const std::string& key,
                                  const std::string& expected_b64) {
    std::string got;
    for (int attempt = 0; attempt < 40; ++attempt) {
        try {
            got = etcd_get_b64(port, key, std::chrono::seconds(2));
            if (got == expected_b64) return got;
        } catch (const Error&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return got;
}

// Members by peer URL: a member that just joined may not have published its name yet.
inline std::set<std::string> etcd_member_peers(int port) {
    auto reply =
        http_request({.method = "POST",
                      .url = "http://127.0.0.1:" + std::to_string(port) + "/v3/cluster/member/list",
                      .body = "{}"});
    std::set<std::string> names;
    auto listed = nlohmann::json::parse(reply.body);  // outlives the loop below
    for (const auto& member : listed["members"]) {
        for (const auto& url : member["peerURLs"]) names.insert(url.get<std::string>());
    }
    return names;
}

// Whether node 1 lists the peer (wanted) within a few seconds: a follower
// applies a membership change a moment after the member that took it.
inline bool member_listed_becomes(int port, const std::string& peer, bool wanted) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (static_cast<bool>(etcd_member_peers(port).count(peer)) == wanted) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace atomixtest::testing
