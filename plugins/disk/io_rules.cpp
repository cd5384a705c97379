#include "io_rules.hpp"

#include <fnmatch.h>

#include <cerrno>
#include <cstdio>
#include <sstream>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"

namespace atomixtest::disk {

const IoOpName kIoOpNames[13] = {
    {IoOp::Open, "open"},           {IoOp::Create, "create"}, {IoOp::Read, "read"},
    {IoOp::Write, "write"},         {IoOp::Fsync, "fsync"},   {IoOp::Truncate, "truncate"},
    {IoOp::Fallocate, "fallocate"}, {IoOp::Mkdir, "mkdir"},   {IoOp::Unlink, "unlink"},
    {IoOp::Rmdir, "rmdir"},         {IoOp::Rename, "rename"}, {IoOp::Stat, "stat"},
    {IoOp::Readdir, "readdir"},
};

const ErrnoName kErrnoNames[10] = {
    {"EIO", EIO},     {"ENOSPC", ENOSPC}, {"EROFS", EROFS}, {"EDQUOT", EDQUOT},
    {"EFBIG", EFBIG}, {"EACCES", EACCES}, {"EPERM", EPERM}, {"ENOMEM", ENOMEM},
    {"EINTR", EINTR}, {"EAGAIN", EAGAIN},
};

const char* io_op_name(IoOp op) {
    for (const auto& entry : kIoOpNames) {
        if (entry.op == op) return entry.name;
    }
    return "?";
}

namespace {

uint32_t op_bit(const std::string& name) {
    for (const auto& entry : kIoOpNames) {
        if (name == entry.name) return static_cast<uint32_t>(entry.op);
    }
    throw bad_input("unknown I/O call '" + name + "'");
}

}  // namespace

uint32_t io_ops_mask(const nlohmann::json& ops) {
    uint32_t mask = 0;
    if (ops.is_string()) {
        std::stringstream words(ops.get<std::string>());
        for (std::string word; std::getline(words, word, ',');) {
            if (!word.empty()) mask |= op_bit(word);
        }
    } else if (ops.is_array()) {
        for (const auto& op : ops) mask |= op_bit(op.get<std::string>());
    }
    return mask;
}

std::vector<std::string> io_op_names(uint32_t mask) {
    std::vector<std::string> names;
    for (const auto& entry : kIoOpNames) {
        if (mask & static_cast<uint32_t>(entry.op)) names.push_back(entry.name);
    }
    return names;
}

std::optional<int> errno_named(const std::string& name) {
    for (const auto& entry : kErrnoNames) {
        if (name == entry.name) return entry.value;
    }
    return std::nullopt;
}

std::string errno_name(int value) {
    for (const auto& entry : kErrnoNames) {
        if (value == entry.value) return entry.name;
    }
    return std::to_string(value);
}

// `*` crosses directories (no FNM_PATHNAME): "member/*" is everything below
// member, as a user means it.
bool IoRule::matches(IoOp op, const std::string& relative_path) const {
    if (ops != 0 && (ops & static_cast<uint32_t>(op)) == 0) return false;
    return fnmatch(path.c_str(), relative_path.c_str(), 0) == 0;
}

nlohmann::json IoRule::to_json() const {
    nlohmann::json json = {{"path", path}, {"ops", io_op_names(ops)}, {"probability", probability}};
    if (error != 0) json["errno"] = errno_name(error);
    if (latency.count() > 0) json["latency_us"] = latency.count();
    if (jitter.count() > 0) json["jitter_us"] = jitter.count();
    return json;
}

IoRule IoRule::from_json(const nlohmann::json& json) {
    IoRule rule;
    rule.path = json.value("path", std::string("*"));
    rule.ops = io_ops_mask(json.value("ops", nlohmann::json::array()));
    rule.probability = json.value("probability", 1.0);
    if (json.contains("errno")) {
        auto value = errno_named(json.at("errno").get<std::string>());
        if (!value) throw bad_input("unknown errno " + json.at("errno").dump());
        rule.error = *value;
    }
    rule.latency = std::chrono::microseconds(json.value("latency_us", int64_t{0}));
    rule.jitter = std::chrono::microseconds(json.value("jitter_us", int64_t{0}));
    return rule;
}

std::string IoRule::summary() const {
    std::string calls;
    for (const auto& name : io_op_names(ops)) calls += (calls.empty() ? "" : ",") + name;
    if (calls.empty()) calls = "every call";
    std::string what = error != 0 ? errno_name(error)
                                  : "delay " + format_duration(latency) +
                                        (jitter.count() ? " ±" + format_duration(jitter) : "");
    char chance[32];
    std::snprintf(chance, sizeof chance, "%g%%", probability * 100);
    return what + " on " + calls + " of " + path + " (" + chance + ")";
}

IoFate IoRules::draw(IoOp op, const std::string& relative_path) {
    IoFate fate;
    for (const auto& rule : rules_) {
        if (!rule.matches(op, relative_path)) continue;
        // The raw output, as the nemesis draws: the same on every machine.
        double chance = static_cast<double>(random_() >> 11) * 0x1.0p-53;
        if (chance >= rule.probability) continue;
        if (rule.error != 0) {
            if (fate.error == 0) fate.error = rule.error;
            continue;
        }
        auto delay = rule.latency;
        if (rule.jitter.count() > 0) {
            auto span = static_cast<uint64_t>(2 * rule.jitter.count() + 1);
            delay +=
                std::chrono::microseconds(static_cast<int64_t>(random_() % span)) - rule.jitter;
        }
        if (delay.count() > 0) fate.delay += delay;
    }
    return fate;
}

}  // namespace atomixtest::disk
