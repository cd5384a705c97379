// check_history: pair the events, split them by key, translate each key's
// operations for the model, search the keys in parallel (largest first), and
// find a failing window for each key that is not linearizable.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <thread>

#include <unistd.h>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"
#include "check/failing_window.hpp"
#include "check/unobserved_infos.hpp"
#include "history/event_fields.hpp"

namespace atomixtest {

namespace {

struct Partition {
    uint32_t key = 0;
    std::vector<uint32_t> table_index;  // of each search operation
    size_t translated = 0;              // operations before the unseen info writes left out
    PartitionInput input;
    std::unique_ptr<StateSpace> space;
    SearchOutcome outcome;
    std::optional<WindowFound> window;
};

Partition translate_partition(const OperationTable& table, uint32_t key,
                              const std::vector<uint32_t>& indices, const CheckOptions& options) {
    Partition part;
    part.key = key;
    part.space = std::make_unique<StateSpace>(options.model, table.values);
    bool valid = true;
    part.input.initial = part.space->state_of(options.initial, valid);
    if (!valid) {
        throw bad_input("the initial value " + printable(options.initial) +
                        " is not one of the model " + to_string(options.model));
    }
    for (auto index : indices) {
        const auto& op = table.operations[index];
        auto translated = translate_operation(options.model, table, op, *part.space);
        if (!translated) continue;
        part.table_index.push_back(index);
        part.input.ops.push_back(*translated);
        part.input.call.push_back(op.invoked_at);
        part.input.ret.push_back(op.completed_at);
    }
    part.translated = part.input.ops.size();
    auto kept = operations_that_matter(part.input);
    if (kept.size() < part.input.ops.size()) {
        part.input = restrict_partition(part.input, kept, part.input.initial);
        std::vector<uint32_t> table_index;
        for (auto i : kept) table_index.push_back(part.table_index[i]);
        part.table_index = std::move(table_index);
    }
    return part;
}

size_t memory_limit(const CheckOptions& options) {
    if (options.memory_limit) return options.memory_limit;
    auto pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return size_t{1} << 30;
    return static_cast<size_t>(pages) * static_cast<size_t>(page) / 4;
}

void search_all(std::vector<Partition>& parts, const CheckOptions& options,
                const SearchLimits& deadline) {
    std::vector<size_t> order(parts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return parts[a].input.ops.size() > parts[b].input.ops.size();
    });
    unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(parts.size())));
    SearchLimits limits = deadline;
    limits.memory_bytes = memory_limit(options) / threads;
    std::atomic<size_t> taken{0};
    auto work = [&] {
        for (size_t i; (i = taken.fetch_add(1)) < order.size();) {
            auto& part = parts[order[i]];
            part.outcome = search_linearization(part.input, *part.space, limits);
            if (part.outcome.verdict == Verdict::NotLinearizable) {
                part.window = find_failing_window(part.input, part.outcome, *part.space, limits);
            }
            // What the report needs is kept; the search's input is not.
            part.outcome.deepest = {};
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
}

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

CheckResult check_table(const OperationTable& table, const CheckOptions& options,
                        std::chrono::steady_clock::time_point started) {
    SearchLimits deadline{started + options.timeout};
    auto by_key = table.by_key();
    std::vector<Partition> parts;
    for (uint32_t key = 0; key < by_key.size(); ++key) {
        if (by_key[key].empty()) continue;
        parts.push_back(translate_partition(table, key, by_key[key], options));
    }
    by_key = {};
    search_all(parts, options, deadline);

    CheckResult result;
    result.model = options.model;
    bool failed = false, unknown = false;
    for (auto& part : parts) {
        KeyResult key;
        key.key = table.keys[part.key];
        key.verdict = part.outcome.verdict;
        key.out_of_memory = part.outcome.out_of_memory;
        key.operations = part.translated;
        result.operations += key.operations;
        failed |= key.verdict == Verdict::NotLinearizable;
        unknown |= key.verdict == Verdict::Unknown;
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
        result.keys.push_back(std::move(key));
    }
    std::sort(result.keys.begin(), result.keys.end(),
              [](const KeyResult& a, const KeyResult& b) { return a.key < b.key; });
    result.verdict = failed    ? Verdict::NotLinearizable
                     : unknown ? Verdict::Unknown
                               : Verdict::Linearizable;
    result.elapsed = std::chrono::steady_clock::now() - started;
    return result;
}

}  // namespace

CheckResult check_history(const History& history, const CheckOptions& options) {
    auto started = std::chrono::steady_clock::now();
    OperationCollector collector(options.source);
    for (auto event : history) collector.add(std::move(event));
    return check_table(collector.finish(), options, started);
}

CheckResult check_history_file(const std::filesystem::path& path, HistoryFormat format,
                               CheckOptions options) {
    auto started = std::chrono::steady_clock::now();
    options.source = path.string();
    OperationCollector collector(options.source);
    read_history_file(path, format, [&](HistoryEvent&& event) { collector.add(std::move(event)); });
    return check_table(collector.finish(), options, started);
}

}  // namespace atomixtest
