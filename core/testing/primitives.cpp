// Primitive handles: one client-plugin verb per call, its JSON result turned
// into the C++ type the verb's description promises.
#include "atomixtest/testing/primitives.hpp"

#include "atomixtest/error.hpp"
#include "testing/cluster_core.hpp"

namespace atomixtest {

namespace {

std::optional<std::string> optional_text(const nlohmann::json& result) {
    if (result.is_null()) return std::nullopt;
    return result.is_string() ? result.get<std::string>() : result.dump();
}

nlohmann::json nullable(const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

// Atomix's REST answers some numbers and booleans as text.
int64_t integer(const nlohmann::json& result, const std::string& verb) {
    if (result.is_number_integer()) return result.get<int64_t>();
    if (result.is_string()) {
        try {
            return std::stoll(result.get<std::string>());
        } catch (const std::exception&) {
        }
    }
    throw Error(ErrorKind::Internal, verb + " answered " + result.dump() + ", not a number");
}

bool boolean(const nlohmann::json& result, const std::string& verb) {
    if (result.is_boolean()) return result.get<bool>();
    if (result == "true" || result == "false") return result == "true";
    throw Error(ErrorKind::Internal, verb + " answered " + result.dump() + ", not true or false");
}

std::vector<std::string> texts(const nlohmann::json& result, const std::string& verb) {
    if (!result.is_array()) {
        throw Error(ErrorKind::Internal, verb + " answered " + result.dump() + ", not a list");
    }
    std::vector<std::string> list;
    for (const auto& item : result) list.push_back(*optional_text(item));
    return list;
}

}  // namespace

nlohmann::json detail::NodeChannel::invoke(const std::string& verb,
                                           const nlohmann::json& params) const {
    return core->invoke(node, verb, params, timeout);
}

nlohmann::json Map::call(const std::string& verb, nlohmann::json params) const {
    params["map"] = name_;
    return channel_.invoke(verb, params);
}
std::optional<std::string> Map::get(const std::string& key) const {
    return optional_text(call("map.get", {{"key", key}}));
}
std::optional<std::string> Map::put(const std::string& key, const std::string& value) const {
    return optional_text(call("map.put", {{"key", key}, {"value", value}}));
}
std::optional<std::string> Map::remove(const std::string& key) const {
    return optional_text(call("map.remove", {{"key", key}}));
}
bool Map::cas(const std::string& key, const std::optional<std::string>& expected,
              const std::string& value) const {
    return boolean(call("map.cas", {{"key", key}, {"old", nullable(expected)}, {"value", value}}),
                   "map.cas");
}
std::vector<std::string> Map::keys() const {
    return texts(call("map.keys", nlohmann::json::object()), "map.keys");
}
int64_t Map::size() const {
    return integer(call("map.size", nlohmann::json::object()), "map.size");
}
void Map::clear() const {
    call("map.clear", nlohmann::json::object());
}

nlohmann::json Value::call(const std::string& verb, nlohmann::json params) const {
    params["register"] = name_;
    return channel_.invoke(verb, params);
}
std::optional<std::string> Value::get() const {
    return optional_text(call("value.get", nlohmann::json::object()));
}
void Value::set(const std::string& value) const {
    call("value.set", {{"value", value}});
}
bool Value::cas(const std::optional<std::string>& expected, const std::string& value) const {
    return boolean(call("value.cas", {{"old", nullable(expected)}, {"value", value}}), "value.cas");
}

nlohmann::json Counter::call(const std::string& verb, nlohmann::json params) const {
    params["counter"] = name_;
    return channel_.invoke(verb, params);
}
int64_t Counter::get() const {
    return integer(call("counter.get", nlohmann::json::object()), "counter.get");
}
void Counter::set(int64_t value) const {
    call("counter.set", {{"value", value}});
}
int64_t Counter::inc() const {
    return integer(call("counter.inc", nlohmann::json::object()), "counter.inc");
}

nlohmann::json Set::call(const std::string& verb, nlohmann::json params) const {
    params["set"] = name_;
    return channel_.invoke(verb, params);
}
bool Set::add(const std::string& element) const {
    return boolean(call("set.add", {{"element", element}}), "set.add");
}
bool Set::contains(const std::string& element) const {
    return boolean(call("set.contains", {{"element", element}}), "set.contains");
}
bool Set::remove(const std::string& element) const {
    return boolean(call("set.remove", {{"element", element}}), "set.remove");
}
int64_t Set::size() const {
    return integer(call("set.size", nlohmann::json::object()), "set.size");
}
std::vector<std::string> Set::get() const {
    return texts(call("set.get", nlohmann::json::object()), "set.get");
}

nlohmann::json Lock::call(const std::string& verb, nlohmann::json params) const {
    params["lock"] = name_;
    return channel_.invoke(verb, params);
}
int64_t Lock::lock() const {
    return integer(call("lock.lock", nlohmann::json::object()), "lock.lock");
}
void Lock::unlock() const {
    call("lock.unlock", nlohmann::json::object());
}
bool Lock::locked() const {
    return boolean(call("lock.locked", nlohmann::json::object()), "lock.locked");
}

}  // namespace atomixtest
