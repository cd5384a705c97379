// Histories: every client operation as an `invoke` event and one completion,
// with Jepsen's meaning of the completion: `ok` (it took effect), `fail` (it
// certainly did not), `info` (unknown: it may take effect at any time after its
// invocation, or never). Fault start/stop events share the stream under the
// process `nemesis`. The order of the events is the real-time order the
// checker relies on; `time_ns` is for people.
//
// Formats, read and written: JSON Lines (one event a line, the native one)
//   {"process":0,"type":"invoke","f":"write","value":3,"time":1200}
// and Jepsen's EDN maps
//   {:process 0, :type :invoke, :f :write, :value 3, :time 1200}
// Readers reject malformed input with Error(BadInput) naming file:line:column.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace atomixtest {

enum class EventType { Invoke, Ok, Fail, Info };

const char* to_string(EventType type);
// "invoke", "ok", "fail", "info", or nullopt.
std::optional<EventType> event_type_named(std::string_view name);

// The process of fault events (`:nemesis` in EDN, "nemesis" in JSON Lines).
constexpr int64_t kNemesisProcess = -1;

struct HistoryEvent {
    int64_t process = 0;  // a client, or kNemesisProcess
    EventType type = EventType::Invoke;
    std::string f;                   // the operation: read, write, cas, get, put, append, add ...
    std::optional<std::string> key;  // for models with keys (kv), else absent
    nlohmann::json value;            // argument on invoke, result on completion
    int64_t time_ns = 0;             // monotonic; 0 when the source had none
    uint32_t line = 0;               // where it was read from (0: not read from a file)
    uint32_t column = 0;
};

using History = std::vector<HistoryEvent>;

enum class HistoryFormat { Jsonl, Edn };

// "jsonl" or "edn"; throws Error(BadInput) otherwise.
HistoryFormat history_format_named(std::string_view name);
// By extension: .edn is EDN, anything else JSON Lines.
HistoryFormat history_format_for(const std::filesystem::path& path);

// Readers call `sink` once per event, in file order, so a long history need not
// be held in memory. `source` names the input in error messages.
using HistorySink = std::function<void(HistoryEvent&&)>;
void read_history_jsonl(std::istream& in, const std::string& source, const HistorySink& sink);
void read_history_edn(std::string_view text, const std::string& source, const HistorySink& sink);
void read_history_file(const std::filesystem::path& path, HistoryFormat format,
                       const HistorySink& sink);

History read_history_jsonl(std::istream& in, const std::string& source = "history");
History read_history_edn(std::string_view text, const std::string& source = "history");
History read_history_file(const std::filesystem::path& path, HistoryFormat format);

std::string to_jsonl(const HistoryEvent& event);  // one line, without the newline
std::string to_edn(const HistoryEvent& event);
void write_history_jsonl(std::ostream& out, const History& history);
void write_history_edn(std::ostream& out, const History& history);

// Records events from any thread, stamping each with a monotonic time taken
// under the same lock that orders it, so the stream's order is real time.
// With a file, every event is written (and flushed) as it comes; with
// keep_in_memory, events() returns them too.
class HistoryRecorder {
  public:
    HistoryRecorder();  // in memory only
    HistoryRecorder(const std::filesystem::path& file, HistoryFormat format, bool keep_in_memory);

    // Stamps time_ns (since the recorder started), appends the event and
    // returns it as stamped.
    HistoryEvent record(HistoryEvent event);
    void invoke(int64_t process, std::string f, std::optional<std::string> key,
                nlohmann::json value);
    void complete(int64_t process, EventType type, std::string f, std::optional<std::string> key,
                  nlohmann::json value);

    History events() const;
    bool writes_file() const { return file_ != nullptr; }

  private:
    mutable std::mutex mutex_;
    std::chrono::steady_clock::time_point started_;
    std::unique_ptr<std::ofstream> file_;
    std::filesystem::path path_;
    HistoryFormat format_ = HistoryFormat::Jsonl;
    uint32_t lines_written_ = 0;
    bool keep_ = true;
    History events_;
};

}  // namespace atomixtest
