// The clock fault on one real process: a child of this test, forked so that
// it reads its clocks the way every C, C++ and JVM program does (glibc, which
// calls the vDSO), and answers what it read through a pipe. Its wall clock
// is bumped, run at a rate and put back; this process, which shares the
// kernel's vDSO image, must read the real time throughout, and the child's
// vDSO must be byte for byte the kernel's again after the reset.
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "atomixtest/error.hpp"
#include "clock_verbs.hpp"
#include "process_clock.hpp"
#include "stopped_process.hpp"
#include "vdso.hpp"

namespace atomixtest::clock {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kHour = 3600 * kSecond;

int64_t now_ns(clockid_t id = CLOCK_REALTIME) {
    timespec ts{};
    clock_gettime(id, &ts);
    return ts.tv_sec * kSecond + ts.tv_nsec;
}

// What the child read, each time it is asked: its wall clock three ways,
// and MONOTONIC.
struct Reading {
    int64_t realtime;   // clock_gettime(CLOCK_REALTIME)
    int64_t timeofday;  // gettimeofday, in ns
    int64_t seconds;    // time()
    int64_t monotonic;  // clock_gettime(CLOCK_MONOTONIC)
};

class ChildClock : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(pipe(ask_), 0);
        ASSERT_EQ(pipe(answer_), 0);
        child_ = fork();
        ASSERT_GE(child_, 0);
        if (child_ == 0) serve();  // never returns
        close(ask_[0]);
        close(answer_[1]);
        read_clock();  // it runs
    }
    void TearDown() override {
        close(ask_[1]);
        close(answer_[0]);
        kill(child_, SIGKILL);
        waitpid(child_, nullptr, 0);
    }

    // Only what async-signal-safe code may do after a fork of a threaded process.
    [[noreturn]] void serve() {
        close(ask_[1]);
        close(answer_[0]);
        char byte = 0;
        while (read(ask_[0], &byte, 1) == 1) {
            Reading reading{};
            timespec ts{};
            clock_gettime(CLOCK_REALTIME, &ts);
            reading.realtime = ts.tv_sec * kSecond + ts.tv_nsec;
            timeval tv{};
            gettimeofday(&tv, nullptr);
            reading.timeofday = tv.tv_sec * kSecond + tv.tv_usec * 1000;
            reading.seconds = time(nullptr);
            clock_gettime(CLOCK_MONOTONIC, &ts);
            reading.monotonic = ts.tv_sec * kSecond + ts.tv_nsec;
            if (write(answer_[1], &reading, sizeof reading) != sizeof reading) break;
        }
        _exit(0);
    }

    Reading read_clock() {
        char byte = 1;
        EXPECT_EQ(write(ask_[1], &byte, 1), 1);
        Reading reading{};
        EXPECT_EQ(read(answer_[0], &reading, sizeof reading), static_cast<ssize_t>(sizeof reading));
        return reading;
    }

    std::vector<uint8_t> child_vdso() {
        auto range = vdso_of(child_);
        return ProcessMemory(child_).read(range.start, range.end - range.start);
    }

    size_t child_mappings() { return mappings_of(child_).size(); }

    pid_t child_ = 0;
    int ask_[2] = {-1, -1};
    int answer_[2] = {-1, -1};
};

int tracer_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10);
    }
    return -1;
}

TEST_F(ChildClock, BumpShiftsEveryWallClockOfTheChildOnlyAndResetRestoresItsVdso) {
    auto pristine = child_vdso();
    auto mappings = child_mappings();
    auto proof = change_process_clock(child_, [](ClockData& data, int64_t) { bump(data, -kHour); });
    // The check's read fell between this process's two reads around it.
    EXPECT_GE(proof.observed, proof.real_low - kHour) << proof.describe();
    EXPECT_LE(proof.observed, proof.real_high - kHour) << proof.describe();
    EXPECT_NEAR(static_cast<double>(proof.skew()), static_cast<double>(-kHour), 50e6);
    EXPECT_EQ(tracer_of(child_), 0) << "no ptrace attachment stays";

    int64_t before = now_ns();
    auto reading = read_clock();
    int64_t after = now_ns();
    EXPECT_GE(reading.realtime, before - kHour);
    EXPECT_LE(reading.realtime, after - kHour);
    EXPECT_GE(reading.timeofday, before - kHour - 1000);
    EXPECT_LE(reading.timeofday, after - kHour);
    EXPECT_NEAR(static_cast<double>(reading.seconds), static_cast<double>(after - kHour) / kSecond,
                1.0);
    EXPECT_GE(reading.monotonic, 0);
    int64_t monotonic_after = now_ns(CLOCK_MONOTONIC);
    EXPECT_LE(reading.monotonic, monotonic_after) << "MONOTONIC is never shifted";
    EXPECT_GT(reading.monotonic, monotonic_after - kSecond);
    EXPECT_NEAR(static_cast<double>(now_ns()), static_cast<double>(after), 1e9)
        << "this process, which maps the same vDSO image, reads the real time";

    auto clock = read_process_clock(child_);
    ASSERT_TRUE(clock.has_value()) << "the fault is found again in the child itself";
    EXPECT_EQ(clock->data.bump_ns, -kHour);

    EXPECT_TRUE(reset_process_clock(child_));
    EXPECT_EQ(child_vdso(), pristine) << "the vDSO is the kernel's again, byte for byte";
    EXPECT_EQ(child_mappings(), mappings) << "the two pages are unmapped";
    EXPECT_FALSE(read_process_clock(child_).has_value());
    before = now_ns();
    reading = read_clock();
    after = now_ns();
    EXPECT_GE(reading.realtime, before);
    EXPECT_LE(reading.realtime, after);
    EXPECT_FALSE(reset_process_clock(child_)) << "nothing left to undo";
}

TEST_F(ChildClock, BumpsAddUpAndARateRunsTheClockFastFromWhereItIs) {
    change_process_clock(child_, [](ClockData& data, int64_t) { bump(data, 5 * kSecond); });
    change_process_clock(child_, [](ClockData& data, int64_t) { bump(data, 5 * kSecond); });
    auto proof = change_process_clock(
        child_, [](ClockData& data, int64_t now) { set_rate(data, 2.0, now); });
    EXPECT_NEAR(static_cast<double>(proof.skew()), 10.0 * kSecond, 50e6)
        << "the rate starts from the clock as it was, without a jump";
    std::this_thread::sleep_for(100ms);
    auto later = read_process_time(child_);
    // The plugin's own reading of it: each read is a few milliseconds' wait
    // for the child to be scheduled on a loaded machine.
    EXPECT_NEAR(rate_between(proof, later), 2.0, 0.1);
    auto first = read_clock();
    int64_t real_first = now_ns();
    std::this_thread::sleep_for(200ms);
    auto second = read_clock();
    int64_t real_second = now_ns();
    double rate = static_cast<double>(second.realtime - first.realtime) /
                  static_cast<double>(real_second - real_first);
    EXPECT_NEAR(rate, 2.0, 0.1);
    EXPECT_NEAR(static_cast<double>(second.monotonic - first.monotonic),
                static_cast<double>(real_second - real_first), 20e6)
        << "MONOTONIC runs at its own pace";
    reset_process_clock(child_);
    auto reading = read_clock();
    EXPECT_NEAR(static_cast<double>(reading.realtime), static_cast<double>(now_ns()), 50e6);
}

// A command killed while it wrote the jumps leaves only some of them: a
// reset still puts every entry back and unmaps the pages.
TEST_F(ChildClock, AHalfWrittenPatchIsPutBackWhole) {
    auto pristine = child_vdso();
    auto mappings = child_mappings();
    change_process_clock(child_, [](ClockData& data, int64_t) { bump(data, kHour); });
    const auto& vdso = local_vdso();
    auto start = vdso_of(child_).start;
    ProcessMemory memory(child_);
    for (int i = 1; i < kPatchedFunctions; ++i) {
        memory.write(start + vdso.functions[i], vdso.bytes.data() + vdso.functions[i], kJumpSize);
    }
    EXPECT_FALSE(read_process_clock(child_).has_value()) << "no longer a whole patch";
    EXPECT_TRUE(reset_process_clock(child_));
    EXPECT_EQ(child_vdso(), pristine);
    EXPECT_EQ(child_mappings(), mappings);
    EXPECT_NEAR(static_cast<double>(read_clock().realtime), static_cast<double>(now_ns()), 50e6);
}

TEST_F(ChildClock, AStrobeFlipsBetweenTwoOffsetsThroughOneByte) {
    change_process_clock(child_, [](ClockData& data, int64_t now) {
        arm_strobe(data, 3 * kSecond, 10000000, now + 60 * kSecond);
    });
    auto clock = read_process_clock(child_);
    ASSERT_TRUE(clock.has_value());
    EXPECT_NEAR(static_cast<double>(read_clock().realtime - now_ns()), 3.0 * kSecond, 50e6)
        << "it starts on the far side";
    uint8_t low = 0;
    ProcessMemory(child_).write(clock->selector_address(), &low, 1);
    EXPECT_NEAR(static_cast<double>(read_clock().realtime - now_ns()), 0.0, 50e6)
        << "one byte written, no stop: the near side";
    reset_process_clock(child_);
}

// A debugger already attached: a thread of this test seizes the child and
// holds it until the change was tried (a tracer thread that ends detaches).
TEST_F(ChildClock, AProcessAnotherTracerHoldsIsLeftAsItIs) {
    auto pristine = child_vdso();
    std::promise<long> seized;
    std::promise<void> tried;
    std::thread tracer([&] {
        seized.set_value(ptrace(PTRACE_SEIZE, child_, nullptr, nullptr));
        tried.get_future().wait();
    });
    ASSERT_EQ(seized.get_future().get(), 0);
    try {
        change_process_clock(child_, [](ClockData& data, int64_t) { bump(data, kHour); });
        ADD_FAILURE() << "a traced process was changed";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Environment);
        EXPECT_NE(std::string(error.what()).find("another tracer"), std::string::npos)
            << error.what();
    }
    tried.set_value();
    tracer.join();
    EXPECT_EQ(child_vdso(), pristine);
    EXPECT_NEAR(static_cast<double>(read_clock().realtime), static_cast<double>(now_ns()), 50e6);
}

TEST(ClockVerbs, SignedOffsetsReadAndWriteBothWays) {
    EXPECT_EQ(signed_duration("-5s"), -5s);
    EXPECT_EQ(signed_duration("+2m"), 2min);
    EXPECT_EQ(signed_duration("1h"), 1h);
    EXPECT_EQ(format_signed(-5 * kSecond), "-5s");
    EXPECT_EQ(format_signed(90 * kSecond), "+90s");
    EXPECT_THROW(signed_duration("-5"), Error);
}

TEST(ClockVerbs, TheAdjustedTimeIsTheReplacementCodesArithmetic) {
    auto data = identity_data(100 * kSecond);
    EXPECT_EQ(adjusted_ns(data, 150 * kSecond), 150 * kSecond) << "no fault: the real time";
    bump(data, -kSecond);
    EXPECT_EQ(adjusted_ns(data, 150 * kSecond), 149 * kSecond);
    set_rate(data, 0.5, 150 * kSecond);
    EXPECT_EQ(adjusted_ns(data, 150 * kSecond), 149 * kSecond) << "no jump at the change";
    EXPECT_EQ(adjusted_ns(data, 152 * kSecond), 150 * kSecond) << "then half as fast";
    arm_strobe(data, 200000000, 10000000, 0);
    data.selector = 1;
    EXPECT_EQ(adjusted_ns(data, 152 * kSecond), 150 * kSecond + 200000000);
    data.offsets[0] = -200 * kSecond;
    data.selector = 0;
    EXPECT_EQ(adjusted_ns(data, 152 * kSecond), 0) << "never before the epoch";
}

}  // namespace
}  // namespace atomixtest::clock
