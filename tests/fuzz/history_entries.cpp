// fuzz_edn_history and fuzz_jsonl_history: a reader on arbitrary bytes, then,
// for what it accepted, both writers and both readers again. What a writer
// produces from an accepted history must be readable: a history converted
// with the tools must never become a file the checker refuses.
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"
#include "fuzz_entries.hpp"

namespace atomixtest::fuzz {

namespace {

void expect_rereads(const std::string& written, HistoryFormat format, size_t events) {
    History again;
    try {
        if (format == HistoryFormat::Edn) {
            again = read_history_edn(written, "written.edn");
        } else {
            std::stringstream in(written);
            again = read_history_jsonl(in, "written.jsonl");
        }
    } catch (const Error& error) {
        throw std::logic_error(std::string("the writer's output is refused: ") + error.what() +
                               "\n" + written);
    }
    if (again.size() != events) {
        throw std::logic_error("the writer's output reads as " + std::to_string(again.size()) +
                               " events instead of " + std::to_string(events) + "\n" + written);
    }
}

void write_and_reread(const History& history) {
    std::stringstream edn;
    write_history_edn(edn, history);
    expect_rereads(edn.str(), HistoryFormat::Edn, history.size());
    std::stringstream jsonl;
    write_history_jsonl(jsonl, history);
    expect_rereads(jsonl.str(), HistoryFormat::Jsonl, history.size());
}

std::string_view text_of(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace

int fuzz_edn_history(const uint8_t* data, size_t size) {
    History history;
    try {
        history = read_history_edn(text_of(data, size), "fuzz.edn");
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::BadInput) throw;
        return 0;
    }
    write_and_reread(history);
    return 0;
}

int fuzz_jsonl_history(const uint8_t* data, size_t size) {
    History history;
    try {
        std::stringstream in{std::string(text_of(data, size))};
        history = read_history_jsonl(in, "fuzz.jsonl");
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::BadInput) throw;
        return 0;
    }
    write_and_reread(history);
    return 0;
}

}  // namespace atomixtest::fuzz
