// etcd as the witness of its own clock: a compaction is replicated to every
// member, and each logs it with the time its clock reads, one line per
// member, stamped by that member alone. Read from outside the clock plugin
// (the cluster's logs), so that a blind plugin cannot pass a clock test.
#pragma once

#include <time.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli_harness.hpp"

namespace atomixtest::testing {

inline int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "2026-12-04T21:16:47.453Z" -> ms since the epoch.
inline int64_t iso_ms(const std::string& text) {
    tm parts{};
    int ms = 0;
    if (sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
               &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &ms) != 7) {
        return 0;
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return static_cast<int64_t>(timegm(&parts)) * 1000 + ms;
}

// The time etcd's own clock gave each of its log lines that mention text.
inline std::vector<int64_t> log_times(const std::string& cluster, int node,
                                      const std::string& text) {
    std::vector<int64_t> times;
    std::istringstream log(cli({"cluster", cluster, "logs", std::to_string(node)}).out);
    for (std::string line; std::getline(log, line);) {
        if (line.find(text) == std::string::npos) continue;
        auto json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_object() && json.contains("ts")) times.push_back(iso_ms(json["ts"]));
    }
    return times;
}

// The revision compacted is a put's, made just before; returns it and when
// the compaction was asked, by this machine's clock.
inline std::pair<int, int64_t> compact(const std::string& cluster) {
    int port = local_port(cluster, 1);
    auto put = etcd_put(port, "clock-test", "x");
    EXPECT_EQ(put.status, 200) << put.body;
    auto revision =
        std::stoi(nlohmann::json::parse(put.body)["header"]["revision"].get<std::string>());
    auto asked = now_ms();
    auto reply = http_request(
        {.method = "POST",
         .url = "http://127.0.0.1:" + std::to_string(port) + "/v3/kv/compaction",
         .body =
             nlohmann::json{{"revision", std::to_string(revision)}, {"physical", true}}.dump()});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return {revision, asked};
}

// The time each member stamped the compaction of `revision` with.
inline std::optional<int64_t> compaction_time(const std::string& cluster, int node, int revision) {
    auto marker = "\"compact-revision\":" + std::to_string(revision) + ",";
    for (int attempt = 0; attempt < 50; ++attempt) {
        auto times = log_times(cluster, node, marker);
        if (!times.empty()) return times.back();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::nullopt;
}

}  // namespace atomixtest::testing
