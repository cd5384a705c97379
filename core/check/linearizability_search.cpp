#include "check/linearizability_search.hpp"

#include "atomixtest/interrupt.hpp"
#include "check/append_lookahead.hpp"
#include "check/timeline.hpp"
#include "check/visited_cache.hpp"

namespace atomixtest {

namespace {

constexpr uint32_t kCheckEvery = 1024;  // steps between looks at the clock and the budget
// Times a search may forget the older half of its memory for want of budget
// before it is left undecided at the memory limit: forgetting lets a key that
// needs a little more than the limit finish, and stops one that needs far
// more (each time, it has explored about half the budget's worth anew).
constexpr uint32_t kMaxForgets = 4;

// Reads change nothing, in any state. One that can be linearized now may as
// well be: in any order that places it later, moving it here changes no
// other operation's state, and the operations it must follow (those that
// completed before it was called) are all linearized already. So it is taken
// without trying the orders that leave it for later.
bool is_pure_read(const SearchOp& op) {
    return op.kind == OpKind::Read || op.kind == OpKind::SetRead;
}

}  // namespace

struct LinearizationSearch::State {
    struct Frame {
        uint32_t entry;
        int64_t state;
        bool forced;  // a read taken without choice: its failure is its parent's
    };

    const PartitionInput& input;
    StateSpace& space;
    SearchLimits limits;
    Timeline line;
    AppendLookahead lookahead;
    LinearizedSet linearized;
    LinearizedSet info_set;
    std::vector<uint32_t> info_done;  // the info operations linearized, as a stack
    size_t known_done = 0;
    VisitedStates cache;
    std::vector<Frame> frames;
    size_t low_water = 0;  // frames below this are unchanged since `deepest` was saved
    int64_t state;
    uint32_t entry;
    bool fresh = true;  // at a configuration not yet looked at for a forced read
    bool lookahead_built = false;
    uint32_t until_check = kCheckEvery;
    MemoryCharge fixed, held;
    SearchOutcome outcome;

    State(const PartitionInput& in, StateSpace& sp, const SearchLimits& lim)
        : input(in),
          space(sp),
          limits(lim),
          line(in),
          lookahead(in, sp, lim.budget),
          linearized(line.known),
          info_set(line.same_before.size()),
          state(in.initial),
          entry(line.next[line.head]),
          fixed(lim.budget, line.bytes() + in.ops.size() * (sizeof(Frame) + 8)),
          held(lim.budget, 0) {
        if (lim.look_ahead == SearchLimits::LookAhead::Always) {
            lookahead_built = true;
            lookahead.build([](uint32_t) { return false; });
        }
    }

    void mark(uint32_t op, bool on) {
        lookahead.linearized(op, on);
        uint32_t index = line.index_of[op];
        if (line.is_info[op]) {
            if (on) {
                info_set.set(index);
                info_done.push_back(index);
            } else {
                info_set.clear(index);
                info_done.pop_back();
            }
        } else if (on) {
            linearized.set(index);
        } else {
            linearized.clear(index);
        }
    }

    bool done(uint32_t op) const {
        uint32_t index = line.index_of[op];
        return line.is_info[op] ? info_set.test(index) : linearized.test(index);
    }

    // Linearizes the operation of call entry `e` if its step succeeds, leaves
    // every read that could come next still possible, and leads to a
    // configuration not explored yet.
    bool try_entry(uint32_t e, bool forced) {
        uint32_t op = line.op_of[e];
        int64_t after = 0;
        if (!step(state, input.ops[op], space, after)) return false;
        mark(op, true);
        uint32_t stranded = after != state && lookahead.enabled()
                                ? lookahead.stranded_read(
                                      after, [this](uint32_t o) { return done(o); }, line)
                                : kNil;
        if (stranded != kNil) remember_prefix(op, stranded);
        if (stranded != kNil || !cache.insert(linearized, after, info_set, info_done)) {
            mark(op, false);
            return false;
        }
        frames.push_back({e, state, forced});
        known_done += !line.is_info[op];
        state = after;
        line.lift(e);
        entry = line.next[line.head];
        fresh = true;
        return true;
    }

    // The first enabled read that can be linearized now, taken; or, when its
    // configuration was explored already, a dead end (false).
    bool take_forced_read(bool& taken) {
        taken = false;
        for (uint32_t e = line.next[line.head]; e != kNil && line.match[e] != kNil;
             e = line.next[e]) {
            uint32_t op = line.op_of[e];
            const auto& read = input.ops[op];
            if (line.is_info[op] || !is_pure_read(read) || read.a != state) continue;
            taken = try_entry(e, true);
            return taken;
        }
        return true;
    }

    // The linearization so far (and `last`, if not kNil) as the longest
    // found, if it is, with the operation it could not get past.
    void remember_prefix(uint32_t last, uint32_t stuck) {
        size_t length = frames.size() + (last != kNil);
        if (length <= outcome.deepest.size() && outcome.stuck != kNil) return;
        outcome.deepest.resize(std::min(low_water, outcome.deepest.size()));
        for (size_t i = outcome.deepest.size(); i < frames.size(); ++i) {
            outcome.deepest.push_back(line.op_of[frames[i].entry]);
        }
        if (last != kNil) outcome.deepest.push_back(last);
        outcome.stuck = stuck;
        low_water = frames.size();
    }

    // Undoes the last choice (and the forced reads after it); false when
    // there is none left: not linearizable. At a completion it could not
    // pass, the search remembers how far it got, for the failing window.
    bool backtrack(bool at_completion) {
        if (at_completion) remember_prefix(kNil, line.op_of[entry]);
        while (!frames.empty()) {
            auto top = frames.back();
            frames.pop_back();
            low_water = std::min(low_water, frames.size());
            state = top.state;
            uint32_t op = line.op_of[top.entry];
            mark(op, false);
            known_done -= !line.is_info[op];
            line.unlift(top.entry);
            if (!top.forced) {
                entry = line.next[top.entry];
                return true;
            }
        }
        return false;
    }

    // Every kCheckEvery steps: limits, the budget. False when the search ends here.
    bool look_around() {
        until_check = kCheckEvery;
        auto give_up = [&](Undecided why) {
            outcome.verdict = Verdict::Unknown;
            outcome.undecided = why;
            return false;
        };
        if (interrupt_requested()) return give_up(Undecided::Interrupted);
        if (limits.stop && limits.stop->load(std::memory_order_relaxed)) {
            return give_up(Undecided::Stopped);
        }
        if (limits.passed() || outcome.steps >= limits.max_steps) {
            return give_up(Undecided::Timeout);
        }
        // A search that backtracks more than a few times its operations gets
        // the look-ahead; one that does not is spared building it.
        if (limits.look_ahead == SearchLimits::LookAhead::WhenSlow && !lookahead_built &&
            outcome.steps > 4 * input.ops.size()) {
            lookahead_built = true;
            lookahead.build([this](uint32_t op) { return done(op); });
        }
        if (!limits.budget) return true;
        held.resize(cache.bytes());
        space.settle();
        if (limits.budget->over()) {
            cache.forget_older();
            held.resize(cache.bytes());
        }
        if (cache.times_forgotten() > kMaxForgets) return give_up(Undecided::MemoryLimit);
        // Room for the index to double, which needs the old and the new at once.
        cache.allow_growth(limits.budget->fits(cache.bytes()));
        return true;
    }

    bool run(std::chrono::steady_clock::time_point pause) {
        // Once every operation with a known outcome is linearized, the info
        // operations left go after them, where they can always step (or never
        // happen).
        while (known_done < line.known) {
            ++outcome.steps;
            if (--until_check == 0) {
                if (!look_around()) return true;
                if (std::chrono::steady_clock::now() >= pause) return false;
            }
            if (fresh) {
                fresh = false;
                bool taken = false;
                if (!take_forced_read(taken)) {
                    if (!backtrack(false)) break;
                    continue;
                }
                if (taken) continue;
            }
            if (line.match[entry] != kNil) {
                uint32_t op = line.op_of[entry];
                uint32_t index = line.index_of[op];
                if (line.is_info[op] && line.same_before[index] != kNil &&
                    !info_set.test(line.same_before[index])) {
                    entry = line.next[entry];  // its twin goes first
                    continue;
                }
                uint32_t at = entry;
                if (!try_entry(at, false)) entry = line.next[at];
                continue;
            }
            // A completion whose operation is not linearized: undo the last choice.
            if (!backtrack(true)) {
                outcome.verdict = Verdict::NotLinearizable;
                return true;
            }
        }
        if (known_done < line.known) {
            outcome.verdict = Verdict::NotLinearizable;
            return true;
        }
        outcome.verdict = Verdict::Linearizable;
        outcome.deepest.clear();
        for (const auto& frame : frames) outcome.deepest.push_back(line.op_of[frame.entry]);
        outcome.stuck = kNil;
        return true;
    }
};

LinearizationSearch::LinearizationSearch(const PartitionInput& input, StateSpace& space,
                                         const SearchLimits& limits)
    : state_(std::make_unique<State>(input, space, limits)) {}

LinearizationSearch::~LinearizationSearch() = default;

bool LinearizationSearch::run(std::chrono::steady_clock::time_point pause) {
    return state_->run(pause);
}

const SearchOutcome& LinearizationSearch::outcome() const {
    return state_->outcome;
}

SearchOutcome& LinearizationSearch::outcome() {
    return state_->outcome;
}

SearchOutcome search_linearization(const PartitionInput& input, StateSpace& space,
                                   const SearchLimits& limits) {
    LinearizationSearch search(input, space, limits);
    search.run(std::chrono::steady_clock::time_point::max());
    return std::move(search.outcome());
}

PartitionInput restrict_partition(const PartitionInput& input, const std::vector<uint32_t>& keep,
                                  int64_t initial) {
    PartitionInput part;
    part.initial = initial;
    for (auto i : keep) {
        part.ops.push_back(input.ops[i]);
        part.call.push_back(input.call[i]);
        part.ret.push_back(input.ret[i]);
    }
    return part;
}

}  // namespace atomixtest
