#include "scenario/marked_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "atomixtest/error.hpp"
#include "util/utf8.hpp"

namespace atomixtest {

std::string format_mark(const SourceMark& mark) {
    return mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

SourceMark MarkedDocument::mark_of(const std::string& pointer) const {
    std::string current = pointer;
    while (true) {
        auto it = marks.find(current);
        if (it != marks.end()) return it->second;
        if (current.empty()) return {file, 1, 1};
        current = current.substr(0, current.rfind('/'));
    }
}

SourceMark MarkedDocument::key_mark_of(const std::string& pointer) const {
    auto it = key_marks.find(pointer);
    return it != key_marks.end() ? it->second : mark_of(pointer);
}

std::string pointer_append(const std::string& pointer, const std::string& token) {
    std::string escaped;
    for (char c : token) {
        if (c == '~') {
            escaped += "~0";
        } else if (c == '/') {
            escaped += "~1";
        } else {
            escaped += c;
        }
    }
    return pointer + "/" + escaped;
}

std::string pointer_append(const std::string& pointer, size_t index) {
    return pointer + "/" + std::to_string(index);
}

namespace {

SourceMark mark_at(const YAML::Mark& mark, const std::string& file) {
    return {file, mark.line + 1, mark.column + 1};
}

nlohmann::json plain_scalar(const std::string& text) {
    static const std::regex integer("[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+");
    static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nullptr;
    }
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    try {
        if (std::regex_match(text, integer)) {
            if (text.rfind("0x", 0) == 0) return std::stoll(text.substr(2), nullptr, 16);
            if (text.rfind("0o", 0) == 0) return std::stoll(text.substr(2), nullptr, 8);
            return std::stoll(text);
        }
        if (std::regex_match(text, real)) return std::stod(text);
    } catch (const std::out_of_range&) {
        // Too large for a number: keep the text.
    }
    return text;
}

// yaml-cpp passes bytes that are not UTF-8 through; the scenario is JSON from
// here on (the schema, its error messages), and nlohmann::json throws a
// type_error on such text as soon as it is dumped into one. Refused here,
// where the position is still known.
const std::string& utf8_scalar(const YAML::Node& node, const std::string& file) {
    const auto& text = node.Scalar();
    auto at = invalid_utf8_at(text);
    if (at != std::string::npos) {
        char byte[8];
        snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
        throw bad_input(format_mark(mark_at(node.Mark(), file)) + ": not UTF-8 text (byte " + byte +
                        " at offset " + std::to_string(at) + " of this value)");
    }
    return text;
}

nlohmann::json convert(const YAML::Node& node, const std::string& pointer, MarkedDocument& doc) {
    doc.marks[pointer] = mark_at(node.Mark(), doc.file);
    switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return nullptr;
        case YAML::NodeType::Scalar:
            // yaml-cpp tags quoted scalars "!" and plain ones "?".
            if (node.Tag() == "!") return utf8_scalar(node, doc.file);
            return plain_scalar(utf8_scalar(node, doc.file));
        case YAML::NodeType::Sequence: {
            auto array = nlohmann::json::array();
            for (size_t i = 0; i < node.size(); ++i) {
                array.push_back(convert(node[i], pointer_append(pointer, i), doc));
            }
            return array;
        }
        case YAML::NodeType::Map: {
            auto object = nlohmann::json::object();
            for (const auto& entry : node) {
                if (!entry.first.IsScalar()) {
                    throw bad_input(format_mark(mark_at(entry.first.Mark(), doc.file)) +
                                    ": keys must be plain strings");
                }
                auto key = utf8_scalar(entry.first, doc.file);
                if (object.contains(key)) {
                    throw bad_input(format_mark(mark_at(entry.first.Mark(), doc.file)) +
                                    ": duplicate key '" + key + "'");
                }
                auto child = pointer_append(pointer, key);
                doc.key_marks[child] = mark_at(entry.first.Mark(), doc.file);
                object[key] = convert(entry.second, child, doc);
                // A null value has no position of its own: point at its key.
                if (entry.second.IsNull()) doc.marks[child] = doc.key_marks[child];
            }
            return object;
        }
    }
    return nullptr;
}

}  // namespace

MarkedDocument parse_marked_yaml(const std::string& text, const std::string& file) {
    MarkedDocument doc;
    doc.file = file;
    try {
        auto root = YAML::Load(text);
        doc.value = convert(root, "", doc);
    } catch (const YAML::Exception& error) {
        throw bad_input(format_mark(mark_at(error.mark, file)) + ": " + error.msg);
    }
    return doc;
}

MarkedDocument load_marked_yaml(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw not_found("cannot read scenario " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    return parse_marked_yaml(text.str(), file.string());
}

}  // namespace atomixtest
