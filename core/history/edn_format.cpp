// Jepsen's EDN histories: a sequence of maps, or one vector of them (as in a
// history.edn), read and written.
#include <cctype>

#include "atomixtest/history.hpp"
#include "history/edn_reader.hpp"
#include "history/event_fields.hpp"
#include "history/history_readers.hpp"

namespace atomixtest {

namespace {

void read_event(EdnReader& reader, const std::string& source, const HistorySink& sink) {
    auto start = reader.position();
    if (reader.peek() != '{') reader.fail(start, "expected an event map {:process ..., :type ...}");
    std::map<std::string, EdnPosition> keys;
    auto map = reader.read(&keys);
    auto column_of = [&](const std::string& field) -> uint32_t {
        auto found = keys.find(field);
        return found == keys.end() ? start.column : found->second.column;
    };
    auto event = event_from_map(map, source, start.line, column_of);
    sink(std::move(event));
}

// Written as a keyword only when it reads back as the same name.
bool is_keyword_name(const std::string& text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.') {
        return false;
    }
    for (char c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c)) &&
            std::string_view(".*+!_?<>=/-").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return !(text.size() > 1 && (text[0] == '-' || text[0] == '+') &&
             std::isdigit(static_cast<unsigned char>(text[1])));
}

void write_edn_string(std::string& out, const std::string& text) {
    out += '"';
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void write_edn_value(std::string& out, const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            out += "nil";
            break;
        case nlohmann::json::value_t::string:
            write_edn_string(out, value.get<std::string>());
            break;
        case nlohmann::json::value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& item : value) {
                if (!first) out += ' ';
                first = false;
                write_edn_value(out, item);
            }
            out += ']';
            break;
        }
        case nlohmann::json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : value.items()) {
                if (!first) out += ", ";
                first = false;
                if (is_keyword_name(key)) {
                    out += ':' + key;
                } else {
                    write_edn_string(out, key);
                }
                out += ' ';
                write_edn_value(out, item);
            }
            out += '}';
            break;
        }
        default:
            out += value.dump();
            break;  // numbers and booleans read the same in EDN
    }
}

// A transaction's micro-ops ([f key value]) are written as Jepsen writes them,
// [:append :x 1]: Elle reads f as a keyword.
bool is_transaction(const nlohmann::json& value) {
    if (!value.is_array() || value.empty()) return false;
    for (const auto& mop : value) {
        if (!mop.is_array() || mop.size() != 3 || !mop[0].is_string() ||
            !is_keyword_name(mop[0].get<std::string>())) {
            return false;
        }
    }
    return true;
}

void write_transaction(std::string& out, const nlohmann::json& value) {
    out += '[';
    for (const auto& mop : value) {
        if (out.back() != '[') out += ' ';
        out += "[:" + mop[0].get<std::string>() + ' ';
        if (mop[1].is_string() && is_keyword_name(mop[1].get<std::string>())) {
            out += ':' + mop[1].get<std::string>();
        } else {
            write_edn_value(out, mop[1]);
        }
        out += ' ';
        write_edn_value(out, mop[2]);
        out += ']';
    }
    out += ']';
}

void write_name(std::string& out, const std::string& name) {
    if (is_keyword_name(name)) {
        out += ':' + name;
    } else {
        write_edn_string(out, name);
    }
}

}  // namespace

namespace {

void read_events(EdnReader& reader, const std::string& source, const HistorySink& sink) {
    if (reader.peek() == '[') {
        reader.expect('[', "'['");
        while (reader.peek() != ']') {
            if (reader.at_end())
                reader.fail(reader.position(), "unterminated history vector: no ']'");
            read_event(reader, source, sink);
        }
        reader.expect(']', "']'");
        if (!reader.at_end()) reader.fail(reader.position(), "text after the history vector");
        return;
    }
    while (!reader.at_end()) read_event(reader, source, sink);
}

}  // namespace

void read_history_edn(ByteSource& in, const std::string& source, const HistorySink& sink) {
    EdnReader reader(in, source);
    read_events(reader, source, sink);
}

void read_history_edn(std::string_view text, const std::string& source, const HistorySink& sink) {
    EdnReader reader(text, source);
    read_events(reader, source, sink);
}

History read_history_edn(std::string_view text, const std::string& source) {
    History history;
    read_history_edn(text, source,
                     [&](HistoryEvent&& event) { history.push_back(std::move(event)); });
    return history;
}

std::string to_edn(const HistoryEvent& event) {
    std::string out = "{:process ";
    out += event.process == kNemesisProcess ? ":nemesis" : std::to_string(event.process);
    out += ", :type :";
    out += to_string(event.type);
    out += ", :f ";
    write_name(out, event.f);
    if (event.key) {
        out += ", :key ";
        write_edn_string(out, *event.key);
    }
    out += ", :value ";
    if (event.f == "txn" && is_transaction(event.value)) {
        write_transaction(out, event.value);
    } else {
        write_edn_value(out, event.value);
    }
    if (event.time_ns != 0) out += ", :time " + std::to_string(event.time_ns);
    out += "}";
    return out;
}

void write_history_edn(std::ostream& out, const History& history) {
    for (const auto& event : history) out << to_edn(event) << '\n';
}

}  // namespace atomixtest
