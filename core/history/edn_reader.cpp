#include "history/edn_reader.hpp"

#include <cerrno>
#include <cstdlib>

#include "history/event_fields.hpp"

namespace atomixtest {

namespace {

// Deeper nesting than any history needs; bounds the recursion on hostile input.
constexpr int kMaxDepth = 200;

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
    : text_(text), source_(std::move(source)) {}

void EdnReader::fail(EdnPosition at, const std::string& message) const {
    throw_at(source_, at.line, at.column, message);
}

char EdnReader::next() {
    char c = text_[at_++];
    if (c == '\n') {
        ++line_;
        column_ = 1;
    } else {
        ++column_;
    }
    return c;
}

void EdnReader::skip_blank() {
    while (at_ < text_.size()) {
        char c = text_[at_];
        if (is_blank(c)) {
            next();
        } else if (c == ';') {
            while (at_ < text_.size() && text_[at_] != '\n') next();
        } else if (c == '#' && at_ + 1 < text_.size() && text_[at_ + 1] == '_') {
            next();
            next();
            read_form(0, nullptr);  // #_ discards the form after it
        } else {
            return;
        }
    }
}

bool EdnReader::at_end() {
    skip_blank();
    return at_ >= text_.size();
}

char EdnReader::peek() {
    skip_blank();
    return at_ < text_.size() ? text_[at_] : '\0';
}

void EdnReader::expect(char c, const char* what) {
    auto start = (skip_blank(), position());
    if (at_ >= text_.size())
        fail(start, std::string("the input ends where ") + what + " was expected");
    if (text_[at_] != c) fail(start, std::string("expected ") + what);
    next();
}

nlohmann::json EdnReader::read(std::map<std::string, EdnPosition>* key_positions) {
    return read_form(0, key_positions);
}

nlohmann::json EdnReader::read_form(int depth, std::map<std::string, EdnPosition>* key_positions) {
    skip_blank();
    auto start = position();
    if (at_ >= text_.size()) fail(start, "the input ends where a value was expected");
    if (depth > kMaxDepth) fail(start, "nested deeper than " + std::to_string(kMaxDepth));
    char c = text_[at_];
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
            if (at_ + 1 < text_.size() && text_[at_ + 1] == '{') {
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
        skip_blank();
        if (at_ >= text_.size()) {
            fail(start, std::string("unterminated collection: no '") + close + "' for this one");
        }
        if (text_[at_] == close) {
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
        skip_blank();
        if (at_ >= text_.size()) fail(start, "unterminated map: no '}' for this one");
        if (text_[at_] == '}') {
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
        skip_blank();
        if (at_ >= text_.size() || text_[at_] == '}') {
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
        if (at_ >= text_.size()) fail(start, "unterminated string");
        char c = next();
        if (c == '"') return out;
        if (c != '\\') {
            out += c;
            continue;
        }
        auto escape_at = position();
        if (at_ >= text_.size()) fail(start, "unterminated string");
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
                    if (at_ >= text_.size() ||
                        !std::isxdigit(static_cast<unsigned char>(text_[at_]))) {
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
    size_t begin = at_;
    while (at_ < text_.size() && !is_delimiter(text_[at_])) {
        if (!is_symbol_char(text_[at_])) {
            fail(position(), std::string("unexpected character '") + text_[at_] + "'");
        }
        next();
    }
    std::string token(text_.substr(begin, at_ - begin));
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
