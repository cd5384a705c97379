// The checker on hand-made histories with known verdicts, one model at a time,
// and on generated ones: linearizable by construction, then with one read
// corrupted.
#include <gtest/gtest.h>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"
#include "history_generator.hpp"

namespace atomixtest {
namespace {

using nlohmann::json;

// Events in real-time order: invoke(p, f, v) ... ok(p, v).
class Builder {
  public:
    Builder& invoke(int64_t p, const std::string& f, json value = nullptr,
                    const std::optional<std::string>& key = std::nullopt) {
        open_[p] = {f, key};
        events_.push_back({p, EventType::Invoke, f, key, std::move(value)});
        return *this;
    }
    Builder& ok(int64_t p, json value = nullptr) {
        return complete(p, EventType::Ok, std::move(value));
    }
    Builder& fail(int64_t p, json value = nullptr) {
        return complete(p, EventType::Fail, std::move(value));
    }
    Builder& info(int64_t p, json value = nullptr) {
        return complete(p, EventType::Info, std::move(value));
    }
    // A whole operation, alone.
    Builder& op(int64_t p, const std::string& f, json in, json out,
                const std::optional<std::string>& key = std::nullopt) {
        return invoke(p, f, std::move(in), key).ok(p, std::move(out));
    }
    const History& events() const { return events_; }

  private:
    Builder& complete(int64_t p, EventType type, json value) {
        auto [f, key] = open_[p];
        events_.push_back({p, type, f, key, std::move(value)});
        return *this;
    }
    History events_;
    std::map<int64_t, std::pair<std::string, std::optional<std::string>>> open_;
};

CheckResult check(const Builder& history, Model model, json initial = nullptr) {
    CheckOptions options;
    options.model = model;
    options.initial = std::move(initial);
    options.all_keys = true;  // each key's verdict, not only the history's
    return check_history(history.events(), options);
}

Verdict verdict(const Builder& history, Model model, json initial = nullptr) {
    return check(history, model, std::move(initial)).verdict;
}

constexpr auto kYes = Verdict::Linearizable;
constexpr auto kNo = Verdict::NotLinearizable;

TEST(Register, SequentialAndConcurrentReads) {
    Builder h;
    h.op(0, "read", nullptr, nullptr).op(0, "write", 1, 1).op(1, "read", nullptr, 1);
    EXPECT_EQ(verdict(h, Model::Register), kYes);
    Builder concurrent;  // a read concurrent with a write may see either value
    concurrent.op(0, "write", 1, 1)
        .invoke(0, "write", 2)
        .invoke(1, "read")
        .ok(1, 1)
        .invoke(2, "read")
        .ok(2, 2)
        .ok(0, 2);
    EXPECT_EQ(verdict(concurrent, Model::Register), kYes);
}

TEST(Register, StaleReadIsCaughtWithAOneOperationWindow) {
    Builder h;
    h.op(0, "write", 1, 1).op(0, "write", 2, 2).op(1, "read", nullptr, 1);
    auto result = check(h, Model::Register);
    EXPECT_EQ(result.verdict, kNo);
    ASSERT_EQ(result.keys.size(), 1u);
    ASSERT_TRUE(result.keys[0].window);
    const auto& window = *result.keys[0].window;
    EXPECT_EQ(window.prefix_length, 2u);
    EXPECT_EQ(window.state, 2);
    ASSERT_EQ(window.operations.size(), 1u);
    EXPECT_EQ(window.operations[0].f, "read");
    EXPECT_EQ(window.operations[0].result, 1);
    EXPECT_EQ(window.operations[0].invoke_line, 0u) << "built in memory, not read from a file";
}

TEST(Register, NilIsOnlyTheUnsetRegister) {
    Builder h;
    h.op(0, "write", 1, 1).op(1, "read", nullptr, nullptr);
    EXPECT_EQ(verdict(h, Model::Register), kNo);
    Builder initial;
    initial.op(1, "read", nullptr, 0);
    EXPECT_EQ(verdict(initial, Model::Register), kNo);
    EXPECT_EQ(verdict(initial, Model::Register, 0), kYes);
}

TEST(CasRegister, ACasThatSucceededTwiceIsNotLinearizable) {
    Builder h;
    h.op(0, "write", 0, 0)
        .invoke(1, "cas", json::array({0, 1}))
        .invoke(2, "cas", json::array({0, 2}))
        .ok(1, json::array({0, 1}))
        .ok(2, json::array({0, 2}));
    auto result = check(h, Model::CasRegister);
    EXPECT_EQ(result.verdict, kNo);
    ASSERT_TRUE(result.keys[0].window);
    EXPECT_LE(result.keys[0].window->operations.size(), 2u);
}

TEST(CasRegister, FailedCasIsLeftOutAndInfoCasMayTakeEffectLate) {
    Builder failed;
    failed.op(0, "write", 0, 0)
        .invoke(1, "cas", json::array({0, 1}))
        .fail(1)
        .op(0, "read", nullptr, 0);
    EXPECT_EQ(verdict(failed, Model::CasRegister), kYes);
    // The cas timed out; reads see 0 for a long while, then 1: it took effect late.
    Builder late;
    late.op(0, "write", 0, 0).invoke(1, "cas", json::array({0, 1})).info(1);
    for (int i = 0; i < 20; ++i) late.op(0, "read", nullptr, 0);
    late.op(0, "read", nullptr, 1);
    EXPECT_EQ(verdict(late, Model::CasRegister), kYes);
    late.op(0, "read", nullptr, 0);  // but it cannot be undone
    EXPECT_EQ(verdict(late, Model::CasRegister), kNo);
}

TEST(CasRegister, InfoWriteMayNeverHappenAndAnUnfinishedInvokeIsInfo) {
    Builder never;
    never.op(0, "write", 1, 1).invoke(1, "write", 2).info(1).op(0, "read", nullptr, 1);
    EXPECT_EQ(verdict(never, Model::CasRegister), kYes);
    Builder crashed;  // process 1 never completes: the write may or may not have happened
    crashed.op(0, "write", 1, 1)
        .invoke(1, "write", 2)
        .op(0, "read", nullptr, 2)
        .op(0, "read", nullptr, 2);
    EXPECT_EQ(verdict(crashed, Model::CasRegister), kYes);
    crashed.op(0, "read", nullptr, 1);
    EXPECT_EQ(verdict(crashed, Model::CasRegister), kNo);
}

// Clients of a crashed node leave many writes with unknown outcomes; a search
// that kept them all would try every subset of them before giving up on a
// stale read. Those nobody read are left out, so the verdict comes at once.
TEST(CasRegister, AKeyWithManyUnseenInfoWritesIsStillDecided) {
    Builder h;
    h.op(0, "write", 0, 0);
    for (int p = 1; p <= 30; ++p) h.invoke(p, "write", 100 + p).info(p);
    h.op(0, "write", 1, 1).op(0, "read", nullptr, 0);
    CheckOptions options{Model::CasRegister};
    options.timeout = std::chrono::seconds(20);
    auto result = check_history(h.events(), options);
    EXPECT_EQ(result.verdict, kNo);
    EXPECT_EQ(result.keys.at(0).operations, 33u) << "every operation is counted";
}

TEST(Kv, AppendsConcatenateAndKeysAreCheckedApart) {
    Builder h;
    h.op(0, "append", "x", "x", "a")
        .op(0, "append", "y", "y", "a")
        .op(1, "get", nullptr, "xy", "a")
        .op(0, "put", "1", "1", "b")
        .op(1, "get", nullptr, "1", "b")
        .op(1, "remove", nullptr, nullptr, "b")
        .op(1, "get", nullptr, nullptr, "b");
    EXPECT_EQ(verdict(h, Model::Kv), kYes);
    h.op(2, "get", nullptr, "yx", "a");
    auto result = check(h, Model::Kv);
    EXPECT_EQ(result.verdict, kNo);
    ASSERT_EQ(result.keys.size(), 2u);
    EXPECT_EQ(result.keys[0].key, "a");
    EXPECT_EQ(result.keys[0].verdict, kNo);
    EXPECT_EQ(result.keys[1].verdict, kYes);
    ASSERT_TRUE(result.keys[0].window);
    EXPECT_EQ(result.keys[0].window->state, "xy");
    auto report = to_json(result);
    EXPECT_EQ(report["verdict"], "not linearizable");
    EXPECT_EQ(report["failing"][0]["key"], "a");
    EXPECT_EQ(report["failing"][0]["operations"][0]["result"], "yx");
}

TEST(Kv, AnUnknownAppendToANumberHadNoEffect) {
    Builder h;
    h.op(0, "put", 5, 5, "k").invoke(1, "append", "x", "k").info(1).op(0, "get", nullptr, 5, "k");
    EXPECT_EQ(verdict(h, Model::Kv), kYes);
    Builder known;
    known.op(0, "put", 5, 5, "k").op(1, "append", "x", "x", "k");
    EXPECT_EQ(verdict(known, Model::Kv), kNo) << "a string cannot be appended to a number";
}

TEST(Kv, LostUpdateAndCas) {
    Builder h;  // two puts complete, then a read sees the first: the second was lost
    h.op(0, "put", "1", "1", "k").op(1, "put", "2", "2", "k").op(2, "get", nullptr, "1", "k");
    EXPECT_EQ(verdict(h, Model::Kv), kNo);
    Builder cas;
    cas.op(0, "cas", json::array({nullptr, "a"}), nullptr, "k").op(0, "get", nullptr, "a", "k");
    EXPECT_EQ(verdict(cas, Model::Kv), kYes);
    EXPECT_EQ(verdict(h, Model::Kv, "1"), kNo) << "--initial applies to every key";
}

TEST(Counter, LostIncrementAndLateInfoAdd) {
    Builder h;
    h.invoke(0, "add", 1).invoke(1, "add", 1).ok(0, 1).ok(1, 1).op(2, "read", nullptr, 2);
    EXPECT_EQ(verdict(h, Model::Counter), kYes);
    Builder lost;
    lost.invoke(0, "add", 1).invoke(1, "add", 1).ok(0, 1).ok(1, 1).op(2, "read", nullptr, 1);
    EXPECT_EQ(verdict(lost, Model::Counter), kNo);
    Builder late;
    late.op(0, "add", 5, 5)
        .invoke(1, "add", 2)
        .info(1)
        .op(0, "read", nullptr, 5)
        .op(0, "read", nullptr, 7);
    EXPECT_EQ(verdict(late, Model::Counter), kYes);
    EXPECT_EQ(verdict(late, Model::Counter, 10), kNo);
}

TEST(Set, ReadsAreWholeSetsInAnyOrder) {
    Builder h;
    h.op(0, "add", 1, 1).op(1, "add", 2, 2).op(2, "read", nullptr, json::array({2, 1}));
    EXPECT_EQ(verdict(h, Model::Set), kYes);
    Builder lost;
    lost.op(0, "add", 1, 1).op(1, "add", 2, 2).op(2, "read", nullptr, json::array({1}));
    EXPECT_EQ(verdict(lost, Model::Set), kNo);
    Builder early;
    early.op(2, "read", nullptr, json::array()).op(0, "add", 1, 1);
    EXPECT_EQ(verdict(early, Model::Set), kYes);
}

std::string bad_input_of(const Builder& h, Model model) {
    try {
        check(h, model);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        return error.what();
    }
    return "(accepted)";
}

TEST(CheckInput, ProblemsAreBadInputNotCrashes) {
    Builder orphan;
    orphan.ok(3, 1);
    EXPECT_NE(bad_input_of(orphan, Model::Register).find("no invocation pending"),
              std::string::npos);
    Builder twice;
    twice.invoke(0, "write", 1).invoke(0, "write", 2);
    EXPECT_NE(bad_input_of(twice, Model::Register).find("has not completed"), std::string::npos);
    Builder unknown;
    unknown.op(0, "append", "x", "x");
    EXPECT_NE(bad_input_of(unknown, Model::Register).find("unknown operation 'append'"),
              std::string::npos);
    Builder shape;
    shape.op(0, "cas", 3, 3);
    EXPECT_NE(bad_input_of(shape, Model::CasRegister).find("[old new]"), std::string::npos);
    Builder counter;
    counter.op(0, "add", "one", "one");
    EXPECT_NE(bad_input_of(counter, Model::Counter).find("an integer"), std::string::npos);
    EXPECT_THROW(model_named("queue"), Error);
}

TEST(Generated, ConcurrentHistoriesOfASequentialRunAreLinearizable) {
    for (auto model : {Model::Register, Model::CasRegister, Model::Kv}) {
        for (uint64_t seed = 1; seed <= 15; ++seed) {
            testing::GeneratorOptions options{model, 400, 3, 6, seed, 0.05, false};
            CheckOptions check{model};
            EXPECT_EQ(check_history(testing::generate_history(options), check).verdict, kYes)
                << to_string(model) << " seed " << seed;
            options.corrupt = true;
            auto result = check_history(testing::generate_history(options), check);
            EXPECT_EQ(result.verdict, kNo) << to_string(model) << " seed " << seed;
            for (const auto& key : result.keys) {
                if (key.verdict != kNo) continue;
                ASSERT_TRUE(key.window);
                EXPECT_LE(key.window->operations.size(), 3u) << "a few lines, not the history";
            }
        }
    }
}

TEST(Generated, TimeoutGivesUnknown) {
    testing::GeneratorOptions options{Model::CasRegister, 20000, 1, 8, 3, 0.02, true};
    CheckOptions check{Model::CasRegister};
    check.timeout = std::chrono::milliseconds(0);
    EXPECT_EQ(check_history(testing::generate_history(options), check).verdict, Verdict::Unknown);
}

}  // namespace
}  // namespace atomixtest
