#include "control_server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "atomixtest/error.hpp"
#include "control_channel.hpp"
#include "corruption.hpp"

namespace atomixtest::disk {

namespace {

// Pages a killed process dirtied through a shared mapping (Atomix's mapped
// journal) are still the kernel's: written back to the daemon now, as plain
// writes, so that the crash takes them back too. /dev/fuse mounts send no
// request for syncfs itself, so this makes nothing durable.
void flush_kernel_pages(const std::string& mountpoint) {
    int fd = open(mountpoint.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    syncfs(fd);
    close(fd);
}

nlohmann::json lose_unsynced(DiskDaemon& daemon) {
    auto started = std::chrono::steady_clock::now();
    flush_kernel_pages(daemon.mountpoint());
    auto report = daemon.store().lose_unsynced();
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    return {{"files", report.files},
            {"bytes", report.bytes},
            {"name_changes", report.name_changes},
            {"took_us", took.count()}};
}

}  // namespace

nlohmann::json handle_control(const nlohmann::json& request, DiskDaemon& daemon) {
    std::string op = request.at("op");
    if (op == "status") {
        return {{"rules", daemon.rules_json()},
                {"unsynced", daemon.store().unsynced()},
                {"mountpoint", daemon.mountpoint()}};
    }
    if (op == "rules") {
        std::vector<IoRule> rules;
        for (const auto& rule : request.at("rules")) rules.push_back(IoRule::from_json(rule));
        daemon.set_rules(IoRules(std::move(rules), request.value("seed", uint64_t{1})));
        return {{"rules", daemon.rules_json()}};
    }
    if (op == "lose_unsynced") return lose_unsynced(daemon);
    if (op == "corrupt") return corrupt(daemon.store().lower(), Corruption::from_json(request));
    if (op == "files") {
        auto files = files_matching(daemon.store().lower(), request.value("path", "*"));
        return {{"files", files}};
    }
    throw bad_input("unknown request " + op);
}

void serve_control(int listener, DiskDaemon& daemon) {
    while (true) {
        int client = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;
        }
        UniqueFd connection(client);
        if (!peer_is_owner(client)) {
            send_all(client, R"({"ok":false,"error":"refused: not this cluster's owner"})"
                             "\n");
            continue;
        }
        std::string line;
        if (!receive_line(client, line, std::chrono::seconds(2))) continue;
        nlohmann::json reply;
        try {
            reply = handle_control(nlohmann::json::parse(line), daemon);
            reply["ok"] = true;
        } catch (const Error& error) {
            reply = {{"ok", false}, {"error", error.what()}, {"kind", to_string(error.kind())}};
        } catch (const std::exception& error) {
            reply = {{"ok", false}, {"error", error.what()}};
        }
        send_all(client, reply.dump() + "\n");
    }
}

}  // namespace atomixtest::disk
