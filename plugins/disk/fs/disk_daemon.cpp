#include "disk_daemon.hpp"

#include <chrono>
#include <thread>

namespace atomixtest::disk {

void DiskDaemon::set_rules(IoRules rules) {
    std::lock_guard lock(rules_mutex_);
    rules_ = std::move(rules);
    has_rules_ = !rules_.empty();
}

nlohmann::json DiskDaemon::rules_json() const {
    std::lock_guard lock(rules_mutex_);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rule : rules_.rules()) list.push_back(rule.to_json());
    return list;
}

int DiskDaemon::gate(IoOp op, const std::string& relative_path) {
    IoFate fate;
    {
        std::lock_guard lock(rules_mutex_);
        if (rules_.empty()) return 0;
        fate = rules_.draw(op, relative_path);
    }
    // Held outside the lock: other calls go on meanwhile, as on a slow disk.
    if (fate.delay.count() > 0) std::this_thread::sleep_for(fate.delay);
    return -fate.error;
}

}  // namespace atomixtest::disk
