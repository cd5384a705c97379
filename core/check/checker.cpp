// check_history: pair the events (counted against the memory limit as they
// are read), split them by key, translate each key's operations for the
// model, search the keys in turns (verdict first), and report.
#include <algorithm>
#include <memory>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"
#include "check/key_scheduler.hpp"
#include "check/partition.hpp"
#include "history/event_fields.hpp"
#include "history/history_readers.hpp"

namespace atomixtest {

namespace {

using Clock = std::chrono::steady_clock;

CheckedOperation checked(const OperationTable& table, uint32_t index) {
    const auto& op = table.operations[index];
    CheckedOperation out;
    out.process = op.process;
    out.f = table.names[op.f];
    out.key = table.keys[op.key];
    out.value = table.values.value(op.value);
    out.result = table.values.value(op.result);
    out.type = op.type;
    out.invoke_ns = op.invoke_ns;
    out.complete_ns = op.complete_ns;
    out.invoke_line = op.invoke_line;
    out.complete_line = op.complete_line;
    return out;
}

KeyResult key_result(const OperationTable& table, const Partition& part) {
    KeyResult key;
    key.key = table.keys[part.key];
    key.verdict = part.outcome.verdict;
    key.undecided = part.outcome.undecided;
    key.operations = part.translated;
    key.steps = part.outcome.steps;
    if (part.window) {
        FailingWindow window;
        window.prefix_length = part.window->prefix_length;
        window.state = part.space->describe(part.window->state);
        for (auto i : part.window->prefix_tail) {
            window.prefix_tail.push_back(checked(table, part.table_index[i]));
        }
        for (auto i : part.window->operations) {
            window.operations.push_back(checked(table, part.table_index[i]));
        }
        key.window = std::move(window);
    }
    return key;
}

CheckResult undecided(const CheckOptions& options, Undecided why, std::string detail,
                      Clock::time_point started) {
    CheckResult result;
    result.model = options.model;
    result.verdict = Verdict::Unknown;
    result.undecided = why;
    result.undecided_detail = std::move(detail);
    result.elapsed = Clock::now() - started;
    return result;
}

CheckResult check_table(const OperationTable& table, const CheckOptions& options,
                        MemoryBudget& budget, Clock::time_point started) {
    std::vector<Partition> parts;
    {
        auto by_key = table.by_key();
        MemoryCharge index(&budget, table.operations.size() * sizeof(uint32_t));
        for (uint32_t key = 0; key < by_key.size(); ++key) {
            if (by_key[key].empty()) continue;
            parts.push_back(translate_partition(table, key, by_key[key], options, budget));
            if (budget.over()) {
                return undecided(options, Undecided::MemoryLimit,
                                 "the history's " + std::to_string(table.operations.size()) +
                                     " operations, split by key, do not fit in the memory limit",
                                 started);
            }
        }
    }
    auto verdict_at = search_keys(parts, options, budget, started + options.timeout);

    CheckResult result;
    result.model = options.model;
    bool failed = false, unknown = false;
    for (const auto& part : parts) {
        auto key = key_result(table, part);
        result.operations += key.operations;
        failed |= key.verdict == Verdict::NotLinearizable;
        unknown |= key.verdict == Verdict::Unknown;
        if (key.undecided == Undecided::Interrupted) result.undecided = Undecided::Interrupted;
        result.keys.push_back(std::move(key));
    }
    std::sort(result.keys.begin(), result.keys.end(),
              [](const KeyResult& a, const KeyResult& b) { return a.key < b.key; });
    result.verdict = failed    ? Verdict::NotLinearizable
                     : unknown ? Verdict::Unknown
                               : Verdict::Linearizable;
    result.elapsed = Clock::now() - started;
    result.verdict_after = (failed ? verdict_at : Clock::now()) - started;
    return result;
}

}  // namespace

const char* to_string(Undecided undecided) {
    switch (undecided) {
        case Undecided::No:
            return "decided";
        case Undecided::Unsearched:
            return "unsearched";
        case Undecided::Stopped:
            return "stopped";
        case Undecided::Timeout:
            return "timeout";
        case Undecided::MemoryLimit:
            return "memory limit";
        case Undecided::Interrupted:
            return "interrupted";
    }
    return "?";
}

CheckResult check_history(const History& history, const CheckOptions& options) {
    auto started = Clock::now();
    MemoryBudget budget(options.memory_limit);
    OperationCollector collector(options.source, &budget);
    try {
        for (const auto& event : history) collector.add(event);
    } catch (const MemoryLimitReached&) {
        return undecided(options, Undecided::MemoryLimit,
                         "its operations do not fit in the memory limit", started);
    }
    auto table = collector.finish();
    return check_table(table, options, budget, started);
}

CheckResult check_history_file(const std::filesystem::path& path, HistoryFormat format,
                               CheckOptions options) {
    auto started = Clock::now();
    options.source = path.string();
    MemoryBudget budget(options.memory_limit);
    OperationCollector collector(options.source, &budget);
    uint32_t line = 0;
    try {
        read_history_file(path, format, started + options.timeout, [&](HistoryEvent&& event) {
            line = event.line;
            collector.add(std::move(event));
        });
    } catch (const MemoryLimitReached&) {
        return undecided(options, Undecided::MemoryLimit,
                         "its operations do not fit in the memory limit (" +
                             std::to_string(collector.events()) + " events read, up to line " +
                             std::to_string(line) + ")",
                         started);
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::Timeout) throw;
        return undecided(options, Undecided::Timeout, error.what(), started);
    }
    auto table = collector.finish();
    return check_table(table, options, budget, started);
}

}  // namespace atomixtest
