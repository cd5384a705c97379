// Leaving out info writes nobody saw must never change a verdict: checked on
// thousands of small random histories, each searched whole and pruned, and on
// hand-made cases where a dependency must keep a write in.
#include <gtest/gtest.h>

#include "check/unobserved_infos.hpp"
#include "search_drafts.hpp"

namespace atomixtest {
namespace {

using drafts::cas;
using drafts::Draft;
using drafts::read;
using drafts::search;
using drafts::write;

Verdict search_pruned(const PartitionInput& input) {
    return search(restrict_partition(input, operations_that_matter(input), input.initial));
}

TEST(UnobservedInfos, AnInfoWriteNobodyReadsIsLeftOut) {
    Draft h;
    h.add(write(1), false, 0, 1).add(write(2), true, 2, 0).add(read(1), false, 3, 4);
    EXPECT_EQ(operations_that_matter(h.input), (std::vector<uint32_t>{0, 2}));
}

TEST(UnobservedInfos, AnInfoWriteThatWasReadStays) {
    Draft h;
    h.add(write(1), false, 0, 1).add(write(2), true, 2, 0).add(read(2), false, 3, 4);
    EXPECT_EQ(operations_that_matter(h.input).size(), 3u);
    EXPECT_EQ(search_pruned(h.input), Verdict::Linearizable);
}

TEST(UnobservedInfos, AChainOfUnseenInfoCasesGoesAsAWhole) {
    // write 5 (info) <- cas 5->6 (info) <- cas 6->7 (info): 7 is never read, so
    // the last cas goes, then nothing compares against 6, then nothing against 5.
    Draft h;
    h.add(write(5), true, 0, 0).add(cas(5, 6), true, 1, 0).add(cas(6, 7), true, 2, 0);
    h.add(read(0), false, 3, 4);
    EXPECT_EQ(operations_that_matter(h.input), (std::vector<uint32_t>{3}));
    // A read of 6 keeps the write of 5 and the cas to 6, not the cas to 7.
    h.add(read(6), false, 5, 6);
    EXPECT_EQ(operations_that_matter(h.input), (std::vector<uint32_t>{0, 1, 3, 4}));
}

TEST(UnobservedInfos, AppendsKeepTheHistoryWhole) {
    Draft h;
    h.add(write(1), true, 0, 0).add({OpKind::Append, false, 3, 0}, false, 1, 2);
    EXPECT_EQ(operations_that_matter(h.input).size(), 2u);
}

// On small random histories the pruned search agrees with the whole one.
TEST(UnobservedInfos, TheVerdictNeverChangesOnRandomHistories) {
    int pruned_some = 0, not_linearizable = 0, round = 0;
    for (const auto& h : drafts::random_histories()) {
        ++round;
        auto whole = search(h.input);
        EXPECT_EQ(search_pruned(h.input), whole) << "round " << round;
        pruned_some += operations_that_matter(h.input).size() < h.input.ops.size();
        not_linearizable += whole == Verdict::NotLinearizable;
    }
    // The property was tested, not vacuously met.
    EXPECT_GT(pruned_some, 400);
    EXPECT_GT(not_linearizable, 400);
}

}  // namespace
}  // namespace atomixtest
