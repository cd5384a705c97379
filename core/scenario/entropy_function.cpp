#include "scenario/entropy_function.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/rate.hpp"

namespace atomixtest {

namespace {

using namespace std::chrono_literals;

const char* const kFunctionNames[] = {"crash",   "pause",      "partition", "stress",
                                      "restart", "membership", "clock",     "fault"};

struct KindName {
    FunctionKind kind;
    const char* function;
    const char* option;  // the option that selects it, "" for the function alone
};

const KindName kKindNames[] = {
    {FunctionKind::Crash, "crash", "--random"},
    {FunctionKind::Pause, "pause", "--random"},
    {FunctionKind::PartitionRandom, "partition", "--random"},
    {FunctionKind::PartitionIsolate, "partition", "--isolate"},
    {FunctionKind::PartitionHalves, "partition", "--halves"},
    {FunctionKind::PartitionBridge, "partition", "--bridge"},
    {FunctionKind::PartitionRing, "partition", "--ring"},
    {FunctionKind::PartitionLeader, "partition", "--leader"},
    {FunctionKind::StressNetwork, "stress", "--network"},
    {FunctionKind::StressRate, "stress", "--rate"},
    {FunctionKind::StressCpu, "stress", "--cpu"},
    {FunctionKind::StressIo, "stress", "--io"},
    {FunctionKind::StressMemory, "stress", "--memory"},
    {FunctionKind::Restart, "restart", ""},
    {FunctionKind::Membership, "membership", "--period"},
    {FunctionKind::ClockBump, "clock", "--bump"},
    {FunctionKind::ClockStrobe, "clock", "--strobe"},
    {FunctionKind::ClockRate, "clock", "--rate"},
    {FunctionKind::Fault, "fault", ""},
};

const KindName& name_of(FunctionKind kind) {
    return *std::find_if(std::begin(kKindNames), std::end(kKindNames),
                         [&](const KindName& name) { return name.kind == kind; });
}

bool is_option(const std::string& word) {
    return word.rfind("--", 0) == 0;
}

// The words of one function, consumed from the front.
class FunctionWords {
  public:
    FunctionWords(std::string function, std::vector<std::string> words)
        : function_(std::move(function)), words_(std::move(words)) {}

    bool done() const { return next_ >= words_.size(); }
    bool next_is_value() const { return !done() && !is_option(words_[next_]); }
    std::string take() { return words_[next_++]; }

    [[noreturn]] void fail(const std::string& word, const std::string& why) const {
        throw bad_input("entropy: " + function_ + ": '" + word + "' " + why);
    }

    Duration duration(const std::string& word) const {
        try {
            return parse_duration(word);
        } catch (const Error&) {
            fail(word,
                 "is not a duration (a number with a unit: ns, us, ms, s, m, h; e.g. 30s, "
                 "1m30s)");
        }
    }

    // Up to two durations, MIN [MAX]: one is a fixed duration.
    std::optional<DurationRange> range() {
        if (!next_is_value()) return std::nullopt;
        auto min_word = take();
        DurationRange range{duration(min_word), duration(min_word)};
        if (next_is_value()) {
            auto max_word = take();
            range.max = duration(max_word);
            if (range.max < range.min) {
                fail(max_word, "is below MIN (" + min_word + "): the range is MIN [MAX]");
            }
        }
        return range;
    }

    int workers(const std::string& option) {
        if (!next_is_value()) fail(option, "needs a number of workers, e.g. " + option + " 2");
        auto word = take();
        if (word.empty() || word.size() > 3 ||
            word.find_first_not_of("0123456789") != std::string::npos || std::stoi(word) < 1) {
            fail(word, "is not a number of workers for " + option + " (1 to 256)");
        }
        int count = std::stoi(word);
        if (count > 256) fail(word, "is not a number of workers for " + option + " (1 to 256)");
        return count;
    }

    // A signed duration: "-5s" back, "5s" or "+5s" forward.
    Duration offset(const std::string& option) {
        if (!next_is_value()) fail(option, "needs an offset, e.g. " + option + " -5s");
        auto word = take();
        bool sign = !word.empty() && (word[0] == '-' || word[0] == '+');
        auto magnitude = duration(sign ? word.substr(1) : word);
        return word[0] == '-' ? -magnitude : magnitude;
    }

    double clock_rate(const std::string& option) {
        if (!next_is_value()) fail(option, "needs a rate, e.g. " + option + " 2");
        auto word = take();
        char* end = nullptr;
        double value = std::strtod(word.c_str(), &end);
        if (word.empty() || *end != '\0' || !(value >= 0.01 && value <= 100)) {
            fail(word, "is not a clock rate for " + option + " (0.01 to 100; 2: twice as fast)");
        }
        return value;
    }

    const std::string& function() const { return function_; }

  private:
    std::string function_;
    std::vector<std::string> words_;
    size_t next_ = 0;
};

EntropyFunction with_kind(FunctionKind kind, DurationRange delay) {
    EntropyFunction function;
    function.kind = kind;
    function.delay = delay;
    function.period = kind == FunctionKind::Restart ? DurationRange{} : default_entropy_period();
    return function;
}

void parse_crash(FunctionWords& words, DurationRange delay, std::vector<EntropyFunction>& out) {
    auto crash = with_kind(FunctionKind::Crash, delay);
    while (!words.done()) {
        auto option = words.take();
        if (option == "--lag") {
            crash.lag = words.range();
            if (!crash.lag) words.fail(option, "needs a duration, LAG [LAG], e.g. --lag 1s 2s");
            continue;
        }
        if (option == "--lose-unfsynced") {
            crash.lose_unfsynced = true;
        } else if (option == "--majority") {
            crash.majority = true;
        } else if (option != "--random") {
            words.fail(option,
                       "is not an option of crash (--random, --majority, --lag, "
                       "--lose-unfsynced)");
        }
        if (auto period = words.range()) crash.period = *period;
    }
    // Which nodes lag is what the majority leaves out.
    if (crash.lag && !crash.majority) words.fail("--lag", "needs --majority");
    out.push_back(crash);
}

// pause --random|--all [P [P]]: a node drawn from the seed, or every node at
// once (the whole cluster stalls, as a stalled hypervisor would stall it).
void parse_pause(FunctionWords& words, DurationRange delay, std::vector<EntropyFunction>& out) {
    auto pause = with_kind(FunctionKind::Pause, delay);
    std::string target;
    while (!words.done()) {
        auto option = words.take();
        if (option != "--random" && option != "--all") {
            words.fail(option, "is not an option of pause (--random, --all)");
        }
        if (!target.empty() && target != option) {
            words.fail(option, "cannot go with " + target + " (one target: --random or --all)");
        }
        target = option;
        pause.all_nodes = option == "--all";
        if (auto period = words.range()) pause.period = *period;
    }
    out.push_back(pause);
}

void parse_partition(FunctionWords& words, DurationRange delay, std::vector<EntropyFunction>& out) {
    // The original tool's types, which `partition` alone means.
    std::map<std::string, FunctionKind> types = {{"--random", FunctionKind::PartitionRandom},
                                                 {"--isolate", FunctionKind::PartitionIsolate},
                                                 {"--halves", FunctionKind::PartitionHalves},
                                                 {"--bridge", FunctionKind::PartitionBridge}};
    std::map<std::string, FunctionKind> named_only = {{"--ring", FunctionKind::PartitionRing},
                                                      {"--leader", FunctionKind::PartitionLeader}};
    size_t first = out.size();
    while (!words.done()) {
        auto option = words.take();
        auto type = types.find(option);
        if (type == types.end()) type = named_only.find(option);
        if (type == named_only.end()) {
            words.fail(option,
                       "is not an option of partition (--random, --isolate, --halves, --bridge, "
                       "--ring, --leader)");
        }
        auto partition = with_kind(type->second, delay);
        if (auto period = words.range()) partition.period = *period;
        out.push_back(partition);
    }
    // `partition` alone: every type of the original, each a function of its own.
    if (out.size() == first) {
        for (const auto& [option, kind] : types) out.push_back(with_kind(kind, delay));
    }
}

int64_t rate_word(FunctionWords& words, const std::string& option) {
    if (!words.next_is_value()) words.fail(option, "needs a rate, e.g. --rate 1mbit");
    auto word = words.take();
    try {
        return parse_rate(word, option);
    } catch (const Error&) {
        words.fail(word, "is not a rate for --rate (above 0, as tc writes it: 1mbit, 500kbit)");
    }
}

void parse_stress(FunctionWords& words, DurationRange delay, std::vector<EntropyFunction>& out) {
    size_t first = out.size();
    bool all_nodes = false, network = false, network_latency = false, rate = false;
    std::optional<DurationRange> period;
    while (!words.done()) {
        auto option = words.take();
        if (option == "--random" || option == "--all") {
            all_nodes = option == "--all";
        } else if (option == "--period") {
            period = words.range();
            if (!period) words.fail(option, "needs MIN [MAX], e.g. --period 10s 20s");
        } else if (option == "--network") {
            // --network LATENCY, --network --rate RATE, or both.
            network = true;
            if (words.next_is_value()) {
                auto stress = with_kind(FunctionKind::StressNetwork, delay);
                stress.latency = words.duration(words.take());
                out.push_back(stress);
                network_latency = true;
            }
        } else if (option == "--rate") {
            auto stress = with_kind(FunctionKind::StressRate, delay);
            stress.rate = rate_word(words, option);
            out.push_back(stress);
            rate = true;
        } else if (option == "--cpu" || option == "--io" || option == "--memory") {
            auto kind = option == "--cpu"  ? FunctionKind::StressCpu
                        : option == "--io" ? FunctionKind::StressIo
                                           : FunctionKind::StressMemory;
            auto stress = with_kind(kind, delay);
            stress.workers = words.workers(option);
            out.push_back(stress);
        } else {
            words.fail(option,
                       "is not an option of stress (--network LATENCY, --network --rate RATE, "
                       "--cpu N, --io N, --memory N, --random, --all, --period MIN [MAX])");
        }
    }
    if (rate && !network) words.fail("--rate", "belongs to --network: --network --rate 1mbit");
    if (network && !network_latency && !rate) {
        words.fail("--network",
                   "needs a latency or a rate, e.g. --network 500ms, --network "
                   "--rate 1mbit");
    }
    if (out.size() == first) {
        words.fail("stress",
                   "needs at least one of --network LATENCY, --network --rate RATE, --cpu N, "
                   "--io N, --memory N");
    }
    for (size_t i = first; i < out.size(); ++i) {
        out[i].all_nodes = all_nodes;
        if (period) out[i].period = *period;
    }
}

// clock [MIN [MAX]] --bump OFFSET | --strobe | --rate RATE [--random | --all
// [P [P]]]: each option a function; the period follows the node choice, as
// crash's follows --random.
void parse_clock(FunctionWords& words, DurationRange delay, std::vector<EntropyFunction>& out) {
    size_t first = out.size();
    bool all_nodes = false;
    std::optional<DurationRange> period;
    while (!words.done()) {
        auto option = words.take();
        if (option == "--random" || option == "--all") {
            all_nodes = option == "--all";
            period = words.range();
        } else if (option == "--bump") {
            auto clock = with_kind(FunctionKind::ClockBump, delay);
            clock.offset = words.offset(option);
            out.push_back(clock);
        } else if (option == "--strobe") {
            out.push_back(with_kind(FunctionKind::ClockStrobe, delay));
        } else if (option == "--rate") {
            auto clock = with_kind(FunctionKind::ClockRate, delay);
            clock.clock_rate = words.clock_rate(option);
            out.push_back(clock);
        } else {
            words.fail(option,
                       "is not an option of clock (--bump OFFSET, --strobe, --rate RATE, "
                       "--random [P [P]], --all [P [P]])");
        }
    }
    if (out.size() == first)
        words.fail("clock", "needs one of --bump OFFSET, --strobe, --rate RATE");
    for (size_t i = first; i < out.size(); ++i) {
        out[i].all_nodes = all_nodes;
        if (period) out[i].period = *period;
    }
}

void parse_membership(FunctionWords& words, DurationRange delay,
                      std::vector<EntropyFunction>& out) {
    auto membership = with_kind(FunctionKind::Membership, delay);
    while (!words.done()) {
        auto option = words.take();
        if (option != "--period") words.fail(option, "is not an option of membership (--period)");
        auto period = words.range();
        if (!period) words.fail(option, "needs MIN [MAX], e.g. --period 30s 1m");
        membership.period = *period;
    }
    out.push_back(membership);
}

// fault PLUGIN.VERB [MIN [MAX]] [--param value ...] [--period P [P]]: the
// delay may also come after the params, as the bare words there.
void parse_fault(FunctionWords& words, std::vector<EntropyFunction>& out) {
    if (words.done()) words.fail("fault", "needs a verb, e.g. fault net.delay");
    auto function = with_kind(FunctionKind::Fault, default_entropy_delay());
    function.verb = words.take();
    if (function.verb.find('.') == std::string::npos || function.verb.rfind("--", 0) == 0) {
        words.fail(function.verb, "is not a verb (PLUGIN.VERB, e.g. net.delay)");
    }
    bool delay_given = false;
    while (!words.done()) {
        if (words.next_is_value()) {
            if (delay_given)
                words.fail(words.take(), "is a second delay (MIN [MAX] is given once)");
            function.delay = *words.range();
            delay_given = true;
            continue;
        }
        auto option = words.take();
        if (option == "--period") {
            auto period = words.range();
            if (!period) words.fail(option, "needs MIN [MAX], e.g. --period 10s 20s");
            function.period = *period;
            continue;
        }
        if (!words.next_is_value()) words.fail(option, "needs a value, e.g. " + option + " 2");
        function.params.emplace_back(option.substr(2), words.take());
    }
    out.push_back(function);
}

void parse_function(FunctionWords& words, std::vector<EntropyFunction>& out) {
    if (words.function() == "fault") {
        parse_fault(words, out);
        return;
    }
    auto delay = words.range().value_or(default_entropy_delay());
    const auto& name = words.function();
    if (name == "crash") {
        parse_crash(words, delay, out);
    } else if (name == "pause") {
        parse_pause(words, delay, out);
    } else if (name == "partition") {
        parse_partition(words, delay, out);
    } else if (name == "stress") {
        parse_stress(words, delay, out);
    } else if (name == "membership") {
        parse_membership(words, delay, out);
    } else if (name == "clock") {
        parse_clock(words, delay, out);
    } else {  // restart takes its delay, and --lose-unfsynced
        auto restart = with_kind(FunctionKind::Restart, delay);
        while (!words.done()) {
            auto word = words.take();
            if (word != "--lose-unfsynced") {
                words.fail(word, "is not an argument of restart ([MIN [MAX]] [--lose-unfsynced])");
            }
            restart.lose_unfsynced = true;
        }
        out.push_back(restart);
    }
}

std::string range_text(const DurationRange& range) {
    if (range.min == range.max) return format_duration(range.min);
    return format_duration(range.min) + " " + format_duration(range.max);
}

}  // namespace

DurationRange default_entropy_delay() {
    return {15s, 30s};
}

DurationRange default_entropy_period() {
    return {15s, 30s};
}

std::vector<std::string> entropy_function_names() {
    return {std::begin(kFunctionNames), std::end(kFunctionNames)};
}

bool is_entropy_function_name(const std::string& word) {
    return std::find(std::begin(kFunctionNames), std::end(kFunctionNames), word) !=
           std::end(kFunctionNames);
}

std::vector<EntropyFunction> parse_entropy_functions(const std::vector<std::string>& words) {
    std::vector<EntropyFunction> functions;
    size_t at = 0;
    while (at < words.size()) {
        if (!is_entropy_function_name(words[at])) {
            throw bad_input("entropy: '" + words[at] +
                            "' is not an entropy function (crash, pause, partition, stress, "
                            "restart, membership, clock, fault)");
        }
        size_t end = at + 1;
        while (end < words.size() && !is_entropy_function_name(words[end])) ++end;
        FunctionWords function(words[at], {words.begin() + static_cast<long>(at) + 1,
                                           words.begin() + static_cast<long>(end)});
        parse_function(function, functions);
        at = end;
    }
    return functions;
}

std::string EntropyFunction::describe() const {
    const auto& name = name_of(kind);
    std::string text = std::string(name.function) + " " + range_text(delay);
    std::string lose = lose_unfsynced ? " --lose-unfsynced" : "";
    switch (kind) {
        case FunctionKind::Restart:
            return text + lose;
        case FunctionKind::Crash:
            return text + (majority ? " --majority " : " --random ") + range_text(period) +
                   (lag ? " --lag " + range_text(*lag) : "") + lose;
        case FunctionKind::Fault: {
            text = "fault " + verb + " " + range_text(delay);
            for (const auto& [param, value] : params) text += " --" + param + " " + value;
            return text + " --period " + range_text(period);
        }
        case FunctionKind::StressNetwork:
            text += " --network " + format_duration(latency);
            break;
        case FunctionKind::StressRate:
            text += " --network --rate " + format_rate(rate);
            break;
        case FunctionKind::StressCpu:
        case FunctionKind::StressIo:
        case FunctionKind::StressMemory:
            text += std::string(" ") + name.option + " " + std::to_string(workers);
            break;
        case FunctionKind::Pause:
            return text + (all_nodes ? " --all " : " --random ") + range_text(period);
        case FunctionKind::ClockBump:
        case FunctionKind::ClockStrobe:
        case FunctionKind::ClockRate:
            return text + " " + clock_option() + (all_nodes ? " --all " : " --random ") +
                   range_text(period);
        default:
            return text + " " + name.option + " " + range_text(period);
    }
    return text + (all_nodes ? " --all" : " --random") + " --period " + range_text(period);
}

std::string EntropyFunction::clock_option() const {
    switch (kind) {
        case FunctionKind::ClockBump:
            return std::string("--bump ") + (offset < Duration{} ? "-" : "") +
                   format_duration(offset < Duration{} ? -offset : offset);
        case FunctionKind::ClockRate: {
            std::ostringstream text;
            text << "--rate " << clock_rate;
            return text.str();
        }
        default:
            return "--strobe";
    }
}

nlohmann::json EntropyFunction::to_json() const {
    const auto& name = name_of(kind);
    nlohmann::json json = {{"function", name.function},
                           {"delay", {format_duration(delay.min), format_duration(delay.max)}},
                           {"command", describe()}};
    if (*name.option && kind != FunctionKind::Membership && kind != FunctionKind::Pause) {
        json["type"] = name.option + 2;
    }
    if (kind != FunctionKind::Restart) {
        json["period"] = {format_duration(period.min), format_duration(period.max)};
    }
    if (workers > 0) json["workers"] = workers;
    if (kind == FunctionKind::Fault) {
        json["verb"] = verb;
        json["params"] = nlohmann::json::object();
        for (const auto& [param, value] : params) json["params"][param] = value;
    }
    if (kind == FunctionKind::StressNetwork) json["latency"] = format_duration(latency);
    if (lose_unfsynced) json["lose_unfsynced"] = true;
    if (majority) json["type"] = "majority";
    if (lag) json["lag"] = {format_duration(lag->min), format_duration(lag->max)};
    if (kind == FunctionKind::StressRate) json["rate"] = format_rate(rate);
    if (name.function == std::string("stress") || name.function == std::string("clock") ||
        kind == FunctionKind::Pause) {
        json["target"] = all_nodes ? "all" : "random";
    }
    if (kind == FunctionKind::ClockBump) json["offset"] = clock_option().substr(7);
    if (kind == FunctionKind::ClockRate) json["rate"] = clock_rate;
    return json;
}

bool wants_lazy_disk(const std::vector<EntropyFunction>& functions) {
    return std::any_of(functions.begin(), functions.end(), [](const EntropyFunction& function) {
        return function.lose_unfsynced || function.verb.rfind("disk.", 0) == 0;
    });
}

}  // namespace atomixtest
