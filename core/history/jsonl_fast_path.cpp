#include "history/jsonl_fast_path.hpp"

#include <charconv>

namespace atomixtest {

namespace {

class Scanner {
  public:
    explicit Scanner(std::string_view text) : text_(text) {}

    void blank() {
        while (at_ < text_.size() &&
               (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r')) {
            ++at_;
        }
    }
    bool take(char c) {
        blank();
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }
    bool at_end() {
        blank();
        return at_ == text_.size();
    }
    // A string without escapes or control characters.
    bool string(std::string_view& out) {
        if (!take('"')) return false;
        size_t start = at_;
        while (at_ < text_.size()) {
            char c = text_[at_];
            if (c == '"') {
                out = text_.substr(start, at_ - start);
                ++at_;
                return true;
            }
            if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
            ++at_;
        }
        return false;
    }
    bool integer(int64_t& out) {
        blank();
        size_t start = at_;
        if (at_ < text_.size() && text_[at_] == '-') ++at_;
        size_t digits = at_;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
        if (at_ == digits || (text_[digits] == '0' && at_ - digits > 1)) return false;
        if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E')) {
            return false;
        }
        auto [end, error] = std::from_chars(text_.data() + start, text_.data() + at_, out);
        return error == std::errc() && end == text_.data() + at_;
    }
    bool word(std::string_view expected) {
        blank();
        if (text_.substr(at_, expected.size()) != expected) return false;
        at_ += expected.size();
        return true;
    }
    // null, true, false, integers, plain strings and arrays of them.
    bool value(nlohmann::json& out, int depth = 0) {
        blank();
        if (at_ >= text_.size() || depth > 8) return false;
        char c = text_[at_];
        if (c == '"') {
            std::string_view text;
            if (!string(text)) return false;
            out = std::string(text);
            return true;
        }
        if (c == '[') {
            ++at_;
            out = nlohmann::json::array();
            if (take(']')) return true;
            do {
                nlohmann::json item;
                if (!value(item, depth + 1)) return false;
                out.push_back(std::move(item));
            } while (take(','));
            return take(']');
        }
        if (c == 'n') return word("null") && (out = nullptr, true);
        if (c == 't') return word("true") && (out = true, true);
        if (c == 'f') return word("false") && (out = false, true);
        int64_t number = 0;
        if (!integer(number)) return false;
        out = number;
        return true;
    }

  private:
    std::string_view text_;
    size_t at_ = 0;
};

}  // namespace

bool read_simple_event(std::string_view line, HistoryEvent& event) {
    Scanner scan(line);
    if (!scan.take('{')) return false;
    bool has_process = false, has_type = false, has_f = false;
    if (!scan.take('}')) {
        do {
            std::string_view name;
            if (!scan.string(name) || !scan.take(':')) return false;
            if (name == "process") {
                std::string_view text;
                if (scan.string(text)) {
                    if (text != "nemesis") return false;
                    event.process = kNemesisProcess;
                } else if (!scan.integer(event.process) || event.process < 0) {
                    return false;
                }
                has_process = true;
            } else if (name == "type") {
                std::string_view text;
                if (!scan.string(text)) return false;
                auto type = event_type_named(text);
                if (!type) return false;
                event.type = *type;
                has_type = true;
            } else if (name == "f") {
                std::string_view text;
                if (!scan.string(text) || text.empty()) return false;
                event.f = text;
                has_f = true;
            } else if (name == "key") {
                nlohmann::json key;
                if (!scan.value(key)) return false;
                if (key.is_string()) {
                    event.key = key.get<std::string>();
                } else if (key.is_number_integer()) {
                    event.key = key.dump();
                } else if (key.is_null()) {
                    event.key.reset();
                } else {
                    return false;
                }
            } else if (name == "value") {
                if (!scan.value(event.value)) return false;
            } else if (name == "time") {
                if (!scan.integer(event.time_ns)) return false;
            } else {
                nlohmann::json ignored;
                if (!scan.value(ignored)) return false;
            }
        } while (scan.take(','));
        if (!scan.take('}')) return false;
    }
    return scan.at_end() && has_process && has_type && has_f;
}

}  // namespace atomixtest
