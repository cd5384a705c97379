// The readers on a ByteSource, and a file read with a deadline: the checker
// reads within its --timeout, so that a pipe nobody writes to ends it.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "atomixtest/history.hpp"
#include "history/byte_source.hpp"

namespace atomixtest {

void read_history_jsonl(ByteSource& in, const std::string& source, const HistorySink& sink);
void read_history_edn(ByteSource& in, const std::string& source, const HistorySink& sink);
void read_history_file(const std::filesystem::path& path, HistoryFormat format,
                       std::chrono::steady_clock::time_point deadline, const HistorySink& sink);

}  // namespace atomixtest
