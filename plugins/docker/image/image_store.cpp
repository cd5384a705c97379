#include "image_store.hpp"

#include "atomixtest/error.hpp"
#include "image/assembled_image.hpp"

namespace atomixtest::docker {

namespace {

bool engine_has(EngineClient& engine, const std::string& reference) {
    try {
        engine.get("/images/" + reference + "/json");
        return true;
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::NotFound) return false;
        throw;
    }
}

// Load and pull answer 200 and report failure inside the streamed JSON.
void check_progress_stream(const std::string& body, const std::string& what) {
    size_t start = 0;
    while (start < body.size()) {
        size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        auto line = nlohmann::json::parse(body.substr(start, end - start), nullptr, false);
        if (line.is_object() && line.contains("error")) {
            throw environment_error(what + ": " + line["error"].get<std::string>());
        }
        start = end + 1;
    }
}

}  // namespace

std::string ensure_assembled_image(EngineClient& engine, const std::string& name,
                                   const std::vector<std::string>& host_files) {
    auto tag = image::assembled_image_tag(name, host_files);
    if (engine_has(engine, tag)) return tag;
    auto archive = image::assembled_image_archive(name, tag, host_files);
    auto reply = engine.call("POST", "/images/load?quiet=1", archive, "application/x-tar",
                             std::chrono::minutes(5));
    check_progress_stream(reply.body, "the Docker engine refused the image " + tag);
    return tag;
}

std::string ensure_named_image(EngineClient& engine, const std::string& name) {
    if (engine_has(engine, name)) return name;
    auto colon = name.rfind(':');
    bool tagged = colon != std::string::npos && name.find('/', colon) == std::string::npos;
    auto repository = tagged ? name.substr(0, colon) : name;
    auto tag = tagged ? name.substr(colon + 1) : "latest";
    auto reply = engine.call("POST", "/images/create?fromImage=" + repository + "&tag=" + tag, "",
                             "application/json", std::chrono::minutes(10));
    check_progress_stream(reply.body, "cannot pull " + name);
    return name;
}

}  // namespace atomixtest::docker
