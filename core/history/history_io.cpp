// Choosing a format, reading a file in it, and the recorder.
#include <fstream>

#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"
#include "history/history_readers.hpp"

namespace atomixtest {

HistoryFormat history_format_named(std::string_view name) {
    if (name == "jsonl") return HistoryFormat::Jsonl;
    if (name == "edn") return HistoryFormat::Edn;
    throw bad_input("unknown history format '" + std::string(name) + "' (jsonl or edn)");
}

HistoryFormat history_format_for(const std::filesystem::path& path) {
    return path.extension() == ".edn" ? HistoryFormat::Edn : HistoryFormat::Jsonl;
}

void read_history_file(const std::filesystem::path& path, HistoryFormat format,
                       std::chrono::steady_clock::time_point deadline, const HistorySink& sink) {
    FileSource in(path, deadline);
    if (format == HistoryFormat::Jsonl) {
        read_history_jsonl(in, path.string(), sink);
    } else {
        read_history_edn(in, path.string(), sink);
    }
}

void read_history_file(const std::filesystem::path& path, HistoryFormat format,
                       const HistorySink& sink) {
    read_history_file(path, format, std::chrono::steady_clock::time_point::max(), sink);
}

History read_history_file(const std::filesystem::path& path, HistoryFormat format) {
    History history;
    read_history_file(path, format,
                      [&](HistoryEvent&& event) { history.push_back(std::move(event)); });
    return history;
}

HistoryRecorder::HistoryRecorder() : started_(std::chrono::steady_clock::now()) {}

HistoryRecorder::HistoryRecorder(const std::filesystem::path& file, HistoryFormat format,
                                 bool keep_in_memory)
    : started_(std::chrono::steady_clock::now()),
      file_(std::make_unique<std::ofstream>(file, std::ios::trunc)),
      path_(file),
      format_(format),
      keep_(keep_in_memory) {
    if (!*file_) throw environment_error("cannot write the history to " + file.string());
}

HistoryEvent HistoryRecorder::record(HistoryEvent event) {
    std::lock_guard lock(mutex_);
    // At least 1 ns, so that 0 keeps meaning "no time".
    event.time_ns = std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::steady_clock::now() - started_)
                                             .count());
    // The line it is written to, so that a check of the returned events names
    // the lines of the file (and the report can mark them).
    event.line = ++lines_written_;
    event.column = 1;
    if (file_) {
        *file_ << (format_ == HistoryFormat::Edn ? to_edn(event) : to_jsonl(event)) << '\n'
               << std::flush;
        if (!*file_) throw environment_error("cannot write the history to " + path_.string());
    }
    if (keep_) events_.push_back(event);
    return event;
}

void HistoryRecorder::invoke(int64_t process, std::string f, std::optional<std::string> key,
                             nlohmann::json value) {
    record({process, EventType::Invoke, std::move(f), std::move(key), std::move(value)});
}

void HistoryRecorder::complete(int64_t process, EventType type, std::string f,
                               std::optional<std::string> key, nlohmann::json value) {
    record({process, type, std::move(f), std::move(key), std::move(value)});
}

History HistoryRecorder::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

}  // namespace atomixtest
