#include <sstream>
#include <string>
#include <utility>

#include "atomixtest/error.hpp"
#include "engine_client.hpp"

namespace atomixtest::docker {

namespace {

std::pair<int, int> parse_version(const std::string& text) {
    std::istringstream in(text);
    int major = 0, minor = 0;
    char dot = 0;
    if (!(in >> major >> dot >> minor) || dot != '.') {
        throw Error(ErrorKind::Environment, "the Docker engine reported API version '" + text +
                                                "', which is not MAJOR.MINOR");
    }
    return {major, minor};
}

}  // namespace

std::string negotiate_api_version(const std::string& engine_version,
                                  const std::string& engine_minimum) {
    auto engine = parse_version(engine_version);
    auto chosen = std::min(engine, parse_version(kNewestKnownApiVersion));
    if (!engine_minimum.empty()) chosen = std::max(chosen, parse_version(engine_minimum));
    return std::to_string(chosen.first) + "." + std::to_string(chosen.second);
}

}  // namespace atomixtest::docker
