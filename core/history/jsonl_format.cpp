// JSON Lines, the native format: one event a line, blank lines allowed.
#include <istream>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"
#include "history/byte_source.hpp"
#include "history/event_fields.hpp"
#include "history/jsonl_fast_path.hpp"
#include "history/line_reader.hpp"

namespace atomixtest {

namespace {

uint32_t first_non_blank(std::string_view line) {
    auto at = line.find_first_not_of(" \t\r");
    return at == std::string::npos ? 1 : static_cast<uint32_t>(at + 1);
}

void write_string(std::string& out, const std::string& text) {
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Where the line nests deeper than kMaxValueDepth, or 0. nlohmann parses
// any depth without recursion, but copying, hashing or printing the value
// recurses: a value 50,000 deep overflowed the stack.
size_t too_deep_at(std::string_view line) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxValueDepth) return i + 1;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return 0;
}

void read_line(std::string_view line, uint32_t number, const std::string& source,
               const HistorySink& sink) {
    HistoryEvent simple;
    if (read_simple_event(line, simple)) {
        simple.line = number;
        simple.column = first_non_blank(line);
        sink(std::move(simple));
        return;
    }
    if (auto at = too_deep_at(line)) {
        throw_at(source, number, static_cast<uint32_t>(at),
                 "nested deeper than " + std::to_string(kMaxValueDepth));
    }
    nlohmann::json map;
    try {
        map = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
        // nlohmann's message starts with its own "[json.exception...] parse error at
        // line 1, column N:"; keep only what it says about the input.
        std::string what = error.what();
        auto colon = what.find(": ", what.find("parse error"));
        auto column = std::min<size_t>(error.byte == 0 ? 1 : error.byte, line.size() + 1);
        throw_at(
            source, number, static_cast<uint32_t>(column),
            "not a JSON event: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
    } catch (const nlohmann::json::out_of_range& error) {
        // A number beyond a double's range (1e999) is not a parse_error to
        // nlohmann but an out_of_range, without a position; it is bad input
        // all the same.
        std::string what = error.what();
        auto end_of_id = what.find("] ");
        throw_at(source, number, first_non_blank(line),
                 "not a JSON event: " +
                     (end_of_id == std::string::npos ? what : what.substr(end_of_id + 2)));
    }
    auto column_of = [&](const std::string& field) -> uint32_t {
        if (field.empty()) return first_non_blank(line);
        auto at = line.find("\"" + field + "\"");
        return at == std::string::npos ? first_non_blank(line) : static_cast<uint32_t>(at + 1);
    };
    sink(event_from_map(map, source, number, column_of));
}

}  // namespace

void read_history_jsonl(ByteSource& in, const std::string& source, const HistorySink& sink) {
    LineReader lines(in, source);
    std::string_view line;
    while (lines.next(line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        read_line(line, lines.number(), source, sink);
    }
}

void read_history_jsonl(std::istream& in, const std::string& source, const HistorySink& sink) {
    StreamSource bytes(in, source);
    read_history_jsonl(bytes, source, sink);
}

History read_history_jsonl(std::istream& in, const std::string& source) {
    History history;
    read_history_jsonl(in, source,
                       [&](HistoryEvent&& event) { history.push_back(std::move(event)); });
    return history;
}

std::string to_jsonl(const HistoryEvent& event) {
    std::string out = "{\"process\":";
    out += event.process == kNemesisProcess ? "\"nemesis\"" : std::to_string(event.process);
    out += ",\"type\":\"";
    out += to_string(event.type);
    out += "\",\"f\":";
    write_string(out, event.f);
    if (event.key) {
        out += ",\"key\":";
        write_string(out, *event.key);
    }
    out += ",\"value\":";
    out += event.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (event.time_ns != 0) out += ",\"time\":" + std::to_string(event.time_ns);
    out += "}";
    return out;
}

void write_history_jsonl(std::ostream& out, const History& history) {
    for (const auto& event : history) out << to_jsonl(event) << '\n';
}

}  // namespace atomixtest
