#include "scenario/marked_yaml.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
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

namespace {

SourceMark mark_at(const YAML::Mark& mark, const std::string& file) {
    return {file, mark.line + 1, mark.column + 1};
}

// Digits of a base from `at` on; returns where they end.
size_t digits_end(const std::string& text, size_t at, int base = 10) {
    auto is_digit = [base](char c) {
        if (base == 16) return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        return c >= '0' && c < static_cast<char>('0' + base);
    };
    while (at < text.size() && is_digit(text[at])) ++at;
    return at;
}

// YAML 1.2 core schema's int: [-+]?[0-9]+ | 0x[0-9a-fA-F]+ | 0o[0-7]+.
std::optional<int> integer_base(const std::string& text) {
    for (auto [prefix, base] : {std::pair{"0x", 16}, std::pair{"0o", 8}}) {
        if (text.rfind(prefix, 0) == 0 && text.size() > 2 &&
            digits_end(text, 2, base) == text.size()) {
            return base;
        }
    }
    size_t start = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    if (text.size() > start && digits_end(text, start) == text.size()) return 10;
    return std::nullopt;
}

// ... and its float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_real(const std::string& text) {
    size_t at = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    size_t whole = digits_end(text, at);
    bool has_whole = whole > at;
    at = whole;
    if (at < text.size() && text[at] == '.') {
        size_t fraction = digits_end(text, at + 1);
        if (!has_whole && fraction == at + 1) return false;
        at = fraction;
    } else if (!has_whole) {
        return false;
    }
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        size_t sign = at + 1 < text.size() && (text[at + 1] == '-' || text[at + 1] == '+') ? 1 : 0;
        size_t exponent = digits_end(text, at + 1 + sign);
        if (exponent == at + 1 + sign) return false;
        at = exponent;
    }
    return at == text.size();
}

// Scanned by hand, not with std::regex: it is called for every plain value,
// and a regex costs microseconds each (a file of many values took seconds).
nlohmann::json plain_scalar(const std::string& text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nullptr;
    }
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    try {
        if (auto base = integer_base(text)) {
            return std::stoll(*base == 10 ? text : text.substr(2), nullptr, *base);
        }
        if (is_real(text)) return std::stod(text);
    } catch (const std::out_of_range&) {
        // Too large for a number: keep the text.
    }
    return text;
}

// What a scenario may be: far above any real one (the largest shipped is a
// few kB), far below what would take the machine. Aliases are counted as
// they expand: a 439-byte "billion laughs" file names 10^9 values.
constexpr size_t kMaxValues = 100'000;
constexpr size_t kMaxExpandedBytes = size_t{4} << 20;
constexpr size_t kMaxDepth = 64;
// One value's text: libstdc++'s std::regex (valijson's patterns, ours)
// recurses once per character and overflows the stack near 25,000; no value a
// scenario names (a key, a map value, a duration) comes close to this.
constexpr size_t kMaxScalarBytes = 4096;

// A finished anchored node, kept to be copied where an alias names it.
struct Anchored {
    nlohmann::json value;
    size_t values = 0;
    size_t bytes = 0;
    bool scalar = false;
    std::string text;  // a scalar's own text, for an alias used as a key
};

// Builds the JSON value and its marks from the parser's events, without
// recursion (depth is bounded besides), counting what aliases expand to
// before copying anything.
class MarkedBuilder : public YAML::EventHandler {
  public:
    explicit MarkedBuilder(MarkedDocument& doc) : doc_(doc) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (in_key_position()) fail(mark, "keys must be plain strings");
        count(mark, 1, 0);
        if (anchor) anchors_[anchor] = {nullptr, 1, 0, true, ""};
        place(nullptr, mark, true);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        const auto& text = utf8_scalar(value, mark);
        count(mark, 1, text.size());
        if (in_key_position()) {
            if (anchor) anchors_[anchor] = {text, 1, text.size(), true, text};
            set_key(text, mark);
            return;
        }
        // yaml-cpp tags quoted scalars "!" and plain ones "?".
        auto json = tag == "!" ? nlohmann::json(text) : plain_scalar(text);
        if (anchor) anchors_[anchor] = {json, 1, text.size(), true, text};
        place(std::move(json), mark, false);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) fail(mark, "this alias names a node that contains it");
        const auto& anchored = it->second;
        if (in_key_position()) {
            if (!anchored.scalar || anchored.value.is_null()) {
                fail(mark, "keys must be plain strings");
            }
            count(mark, anchored.values, anchored.bytes);
            set_key(anchored.text, mark);
            return;
        }
        count(mark, anchored.values, anchored.bytes);
        // The copy's inner values have no marks of their own: a mistake
        // inside is reported at the alias that put it there.
        place(anchored.value, mark, false);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(nlohmann::json::array(), mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(nlohmann::json::object(), mark, anchor);
    }
    void OnMapEnd() override { close(); }

  private:
    struct Frame {
        nlohmann::json value;
        std::string pointer;
        YAML::anchor_t anchor = 0;
        size_t values_before = 0;
        size_t bytes_before = 0;
        std::optional<std::string> key;  // a map's key waiting for its value
        SourceMark key_mark;
    };

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
        throw bad_input(format_mark(mark_at(mark, doc_.file)) + ": " + message);
    }

    const std::string& utf8_scalar(const std::string& text, const YAML::Mark& mark) const {
        if (text.size() > kMaxScalarBytes) {
            fail(mark, "a value of " + std::to_string(text.size()) +
                           " bytes; a scenario's values "
                           "are at most " +
                           std::to_string(kMaxScalarBytes) + " bytes");
        }
        // yaml-cpp passes bytes that are not UTF-8 through; the scenario is
        // JSON from here on, and nlohmann::json throws a type_error on such
        // text as soon as it is dumped. Refused here, where the position is
        // still known.
        auto at = invalid_utf8_at(text);
        if (at != std::string::npos) {
            char byte[8];
            snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
            fail(mark, std::string("not UTF-8 text (byte ") + byte + " at offset " +
                           std::to_string(at) + " of this value)");
        }
        return text;
    }

    void count(const YAML::Mark& mark, size_t values, size_t bytes) {
        // An interrupt reaches a long parse too, not only the steps after it.
        if ((++events_ & 0xFFF) == 0 && interrupt_requested()) {
            throw Error(ErrorKind::Internal, "interrupted while reading " + doc_.file);
        }
        values_ += values;
        bytes_ += bytes;
        if (values_ > kMaxValues) {
            fail(mark, "the scenario expands to more than " + std::to_string(kMaxValues) +
                           " values here (aliases included): refused");
        }
        if (bytes_ > kMaxExpandedBytes) {
            fail(mark, "the scenario expands to more than " +
                           std::to_string(kMaxExpandedBytes >> 20) +
                           " MiB of text here (aliases included): refused");
        }
    }

    bool in_key_position() const {
        return !stack_.empty() && stack_.back().value.is_object() && !stack_.back().key;
    }

    void set_key(const std::string& key, const YAML::Mark& mark) {
        auto& frame = stack_.back();
        if (frame.value.contains(key)) fail(mark, "duplicate key '" + key + "'");
        frame.key = key;
        frame.key_mark = mark_at(mark, doc_.file);
        doc_.key_marks[pointer_append(frame.pointer, key)] = frame.key_mark;
    }

    // Where the next value goes: the document's root, the next item of a
    // list, or the value of the key just read.
    std::string next_pointer() const {
        if (stack_.empty()) return "";
        const auto& frame = stack_.back();
        if (frame.value.is_array()) return pointer_append(frame.pointer, frame.value.size());
        return pointer_append(frame.pointer, *frame.key);
    }

    void place(nlohmann::json value, const YAML::Mark& mark, bool null_value) {
        auto pointer = next_pointer();
        // A null value has no position of its own: point at its key.
        bool after_key = !stack_.empty() && stack_.back().value.is_object();
        doc_.marks[pointer] =
            null_value && after_key ? stack_.back().key_mark : mark_at(mark, doc_.file);
        attach(std::move(value));
    }

    void attach(nlohmann::json value) {
        if (stack_.empty()) {
            doc_.value = std::move(value);
            return;
        }
        auto& frame = stack_.back();
        if (frame.value.is_array()) {
            frame.value.push_back(std::move(value));
        } else {
            frame.value[*frame.key] = std::move(value);
            frame.key.reset();
        }
    }

    void open(nlohmann::json empty, const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (in_key_position()) fail(mark, "keys must be plain strings");
        if (stack_.size() >= kMaxDepth) {
            fail(mark, "nested deeper than " + std::to_string(kMaxDepth) + " levels: refused");
        }
        count(mark, 1, 0);
        auto pointer = next_pointer();
        doc_.marks[pointer] = mark_at(mark, doc_.file);
        stack_.push_back({std::move(empty), pointer, anchor, values_ - 1, bytes_});
    }

    void close() {
        auto frame = std::move(stack_.back());
        stack_.pop_back();
        if (frame.anchor) {
            anchors_[frame.anchor] = {frame.value, values_ - frame.values_before,
                                      bytes_ - frame.bytes_before, false, ""};
        }
        attach(std::move(frame.value));
    }

    MarkedDocument& doc_;
    std::vector<Frame> stack_;
    std::map<YAML::anchor_t, Anchored> anchors_;
    size_t values_ = 0;
    size_t bytes_ = 0;
    size_t events_ = 0;
};

}  // namespace

MarkedDocument parse_marked_yaml(const std::string& text, const std::string& file) {
    if (text.size() > kMaxScenarioBytes) {
        throw bad_input(file + ": " + std::to_string(text.size()) +
                        " bytes; a scenario is at most " + std::to_string(kMaxScenarioBytes >> 10) +
                        " KiB");
    }
    MarkedDocument doc;
    doc.file = file;
    doc.marks[""] = {file, 1, 1};
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        MarkedBuilder builder(doc);
        parser.HandleNextDocument(builder);
    } catch (const YAML::Exception& error) {
        throw bad_input(format_mark(mark_at(error.mark, file)) + ": " + error.msg);
    }
    return doc;
}

MarkedDocument load_marked_yaml(const std::filesystem::path& file) {
    return parse_marked_yaml(read_scenario_text(file), file.string());
}

std::string read_scenario_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw not_found("cannot read scenario " + file.string());
    // Read at most one byte past the limit: a huge file (or an endless pipe)
    // is refused without being held.
    std::string text(kMaxScenarioBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes) {
        throw bad_input(file.string() + ": larger than " + std::to_string(kMaxScenarioBytes >> 10) +
                        " KiB; a scenario is at most that (it is data, not a history)");
    }
    return text;
}

}  // namespace atomixtest
