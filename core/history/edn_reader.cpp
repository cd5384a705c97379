#include "history/edn_reader.hpp"

#include <cerrno>
#include <cstdlib>

#include "history/event_fields.hpp"
#include "history/line_reader.hpp"

namespace atomixtest {

namespace {

constexpr int kMaxDepth = kMaxValueDepth;

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\f';
}

bool is_delimiter(char c) {
    return is_blank(c) || c == '{' || c == '}' || c == '[' || c == ']' || c == '(' || c == ')' ||
           c == '"' || c == ';' || c == '\0';
}

bool is_symbol_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view(".*+!-_?$%&=<>/:#'").find(c) != std::string_view::npos;
}

void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

}  // namespace

EdnReader::EdnReader(std::string_view text, std::string source)
    : owned_(std::make_unique<TextSource>(text)), in_(*owned_), source_(std::move(source)) {}

EdnReader::EdnReader(ByteSource& input, std::string source)
    : in_(input), source_(std::move(source)) {}

void EdnReader::fail(EdnPosition at, const std::string& message) const {
    throw_at(source_, at.line, at.column, message);
}

char EdnReader::next() {
    if (in_form_ && in_.consumed() - form_start_ >= kMaxEventBytes) {
        fail(position(), "an event longer than " + std::to_string(kMaxEventBytes >> 20) +
                             " MiB (no event is that long)");
    }
    char c = in_.next();
    if (c == '\n') {
        ++line_;
        column_ = 1;
    } else {
        ++column_;
    }
    return c;
}

void EdnReader::skip_blank(int depth) {
    while (!in_.at_end()) {
        char c = in_.peek();
        if (is_blank(c)) {
            next();
        } else if (c == ';') {
            while (!in_.at_end() && in_.peek() != '\n') next();
        } else if (c == '#' && in_.peek(1) == '_') {
            next();
            next();
            // #_ discards the form after it; a chain of them nests as deep
            read_form(depth + 1, nullptr);
        } else {
            return;
        }
    }
}

bool EdnReader::at_end() {
    skip_blank();
    return in_.at_end();
}

char EdnReader::peek() {
    skip_blank();
    return in_.peek();
}

void EdnReader::expect(char c, const char* what) {
    auto start = (skip_blank(), position());
    if (in_.at_end()) fail(start, std::string("the input ends where ") + what + " was expected");
    if (in_.peek() != c) fail(start, std::string("expected ") + what);
    next();
}

nlohmann::json EdnReader::read(std::map<std::string, EdnPosition>* key_positions) {
    return read_form(0, key_positions);
}

nlohmann::json EdnReader::read_form(int depth, std::map<std::string, EdnPosition>* key_positions) {
    if (depth > kMaxDepth) fail(position(), "nested deeper than " + std::to_string(kMaxDepth));
    skip_blank(depth);
    auto start = position();
    if (in_.at_end()) fail(start, "the input ends where a value was expected");
    // Each form at the top level (an event) is bounded, so that one huge
    // string or vector cannot take the memory.
    bool top = !in_form_;
    if (top) {
        in_form_ = true;
        form_start_ = in_.consumed();
    }
    auto form = read_form_at(depth, key_positions, start);
    if (top) in_form_ = false;
    return form;
}

nlohmann::json EdnReader::read_form_at(int depth, std::map<std::string, EdnPosition>* key_positions,
                                       EdnPosition start) {
    char c = in_.peek();
    switch (c) {
        case '{':
            next();
            return read_map(depth + 1, start, key_positions);
        case '[':
            next();
            return read_collection(']', depth + 1, start);
        case '(':
            next();
            return read_collection(')', depth + 1, start);
        case '"':
            next();
            return read_string(start);
        case '}':
        case ']':
        case ')':
            fail(start, std::string("unexpected '") + c + "' with nothing open to close");
        case '#':
            if (in_.peek(1) == '{') {
                next();
                next();
                return read_collection('}', depth + 1, start);
            }
            fail(start, "unsupported '#' form (only #{...} sets and #_ discards are read)");
        case '\\':
            fail(start, "characters (\\c) are not supported in histories");
        default:
            return read_token(start);
    }
}

nlohmann::json EdnReader::read_collection(char close, int depth, EdnPosition start) {
    auto items = nlohmann::json::array();
    while (true) {
        skip_blank(depth);
        if (in_.at_end()) {
            fail(start, std::string("unterminated collection: no '") + close + "' for this one");
        }
        if (in_.peek() == close) {
            next();
            return items;
        }
        items.push_back(read_form(depth, nullptr));
    }
}

nlohmann::json EdnReader::read_map(int depth, EdnPosition start,
                                   std::map<std::string, EdnPosition>* key_positions) {
    auto map = nlohmann::json::object();
    while (true) {
        skip_blank(depth);
        if (in_.at_end()) fail(start, "unterminated map: no '}' for this one");
        if (in_.peek() == '}') {
            next();
            return map;
        }
        auto key_at = position();
        auto key = read_form(depth, nullptr);
        std::string name;
        if (key.is_string()) {
            name = key.get<std::string>();
        } else if (key.is_number_integer() || key.is_boolean()) {
            name = printable(key);
        } else {
            fail(key_at, "a map key is a keyword, string or integer, not " + printable(key));
        }
        skip_blank(depth);
        if (in_.at_end() || in_.peek() == '}') {
            fail(key_at, "the key " + name + " has no value (a map needs pairs)");
        }
        if (map.contains(name)) fail(key_at, "the key " + name + " appears twice in this map");
        map[name] = read_form(depth, nullptr);
        if (key_positions) (*key_positions)[name] = key_at;
    }
}

nlohmann::json EdnReader::read_string(EdnPosition start) {
    std::string out;
    while (true) {
        if (in_.at_end()) fail(start, "unterminated string");
        char c = next();
        if (c == '"') return out;
        if (c != '\\') {
            out += c;
            continue;
        }
        auto escape_at = position();
        if (in_.at_end()) fail(start, "unterminated string");
        char e = next();
        switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case 'u': {
                uint32_t code = 0;
                for (int i = 0; i < 4; ++i) {
                    if (in_.at_end() || !std::isxdigit(static_cast<unsigned char>(in_.peek()))) {
                        fail(escape_at, "\\u needs four hex digits");
                    }
                    char h = next();
                    code = code * 16 +
                           static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                     ? h - '0'
                                                     : std::tolower(h) - 'a' + 10);
                }
                append_utf8(out, code);
                break;
            }
            default:
                fail(escape_at, std::string("unknown escape \\") + e + " in a string");
        }
    }
}

nlohmann::json EdnReader::read_token(EdnPosition start) {
    std::string token;
    while (!in_.at_end() && !is_delimiter(in_.peek())) {
        if (!is_symbol_char(in_.peek())) {
            fail(position(), std::string("unexpected character '") + in_.peek() + "'");
        }
        token += next();
    }
    if (token.empty()) fail(start, "unexpected character");
    if (token == "nil") return nullptr;
    if (token == "true") return true;
    if (token == "false") return false;
    if (token[0] == ':') {
        if (token.size() == 1 || token[1] == ':' || token.find('#') != std::string::npos) {
            fail(start, "malformed keyword " + token);
        }
        return token.substr(1);
    }
    char lead = token[0];
    bool numeric = std::isdigit(static_cast<unsigned char>(lead)) ||
                   ((lead == '-' || lead == '+') && token.size() > 1 &&
                    std::isdigit(static_cast<unsigned char>(token[1])));
    if (!numeric)
        fail(start, "unexpected symbol " + token + " (strings are quoted, keywords start with :)");
    std::string digits = token;
    if (digits.back() == 'N' || digits.back() == 'M') digits.pop_back();
    bool floating = digits.find_first_of(".eE") != std::string::npos || token.back() == 'M';
    errno = 0;
    char* end = nullptr;
    if (floating) {
        double value = std::strtod(digits.c_str(), &end);
        if (end != digits.c_str() + digits.size() || errno == ERANGE)
            fail(start, "malformed number " + token);
        return value;
    }
    long long value = std::strtoll(digits.c_str(), &end, 10);
    if (end != digits.c_str() + digits.size()) fail(start, "malformed number " + token);
    if (errno == ERANGE) fail(start, "integer out of range " + token);
    return static_cast<int64_t>(value);
}

}  // namespace atomixtest
