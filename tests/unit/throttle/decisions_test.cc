#include "throttle/decisions.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(LoadOverLimitTest, AtOrAboveTheLimitCounts) {
  const std::vector<LoadThreshold> limits = {{"Threads_running", 25}, {"Threads_connected", 300}};
  EXPECT_FALSE(LoadOverLimit(limits, {{"threads_running", 24}, {"threads_connected", 10}}));
  auto at = LoadOverLimit(limits, {{"threads_running", 25}, {"threads_connected", 10}});
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, "Threads_running=25 is at or above 25");
  auto second = LoadOverLimit(limits, {{"threads_running", 1}, {"threads_connected", 301}});
  ASSERT_TRUE(second);
  EXPECT_NE(second->find("Threads_connected=301"), std::string::npos);
}

TEST(LoadOverLimitTest, MissingVariableIsZero) {
  EXPECT_FALSE(LoadOverLimit({{"Threads_running", 1}}, {}));
  EXPECT_TRUE(LoadOverLimit({{"Threads_running", 0}}, {}));
}

TEST(CheckpointAgeOverLimitTest, AtOrAboveTheShareOfTheMaximumPauses) {
  EXPECT_EQ(CheckpointAgeOverLimit(80, 100, 75),
            "InnoDB checkpoint age 80% of its maximum is at or above 75%");
  EXPECT_TRUE(CheckpointAgeOverLimit(75, 100, 75).has_value());
  EXPECT_FALSE(CheckpointAgeOverLimit(74.9, 100, 75).has_value());
  EXPECT_EQ(CheckpointAgeOverLimit(2e8, 2.16e8, 90.5),
            "InnoDB checkpoint age 93% of its maximum is at or above 90.5%");
}

// Once held back, the copy waits until the age is kCheckpointAgeResumeGap points below the limit:
// otherwise each chunk's own redo pushed it back over and the copy flapped about once a second.
TEST(CheckpointAgeOverLimitTest, AHeldCopyWaitsUntilWellBelowTheLimit) {
  EXPECT_FALSE(CheckpointAgeOverLimit(89, 100, 90).has_value());  // not waiting: below the limit
  const auto holding = CheckpointAgeOverLimit(89, 100, 90, /*waiting=*/true);
  ASSERT_TRUE(holding.has_value());
  EXPECT_EQ(*holding,
            "InnoDB checkpoint age 89% of its maximum, waiting for it to fall below 88%");
  EXPECT_TRUE(CheckpointAgeOverLimit(88, 100, 90, true).has_value());
  EXPECT_FALSE(CheckpointAgeOverLimit(87.9, 100, 90, true).has_value());
  // Over the limit itself it says so, waiting or not.
  EXPECT_EQ(CheckpointAgeOverLimit(92, 100, 90, true), CheckpointAgeOverLimit(92, 100, 90));
  // A limit within twice the gap resumes at half of it (never at 0, which may not come).
  EXPECT_TRUE(CheckpointAgeOverLimit(1.5, 100, 3, true).has_value());
  EXPECT_FALSE(CheckpointAgeOverLimit(1.4, 100, 3, true).has_value());
}

TEST(CheckpointAgeOverLimitTest, OffOrUnknownNeverPauses) {
  EXPECT_FALSE(CheckpointAgeOverLimit(100, 100, 0).has_value());  // --max-checkpoint-age 0
  EXPECT_FALSE(CheckpointAgeOverLimit(100, 0, 75).has_value());   // no maximum reported
  EXPECT_FALSE(CheckpointAgeOverLimit(-1, 100, 75).has_value());
}

TEST(LagReasonTest, AllWithinTheLimitMeansGo) {
  EXPECT_EQ(LagReason({{"r1", 0.2, ""}, {"r2", 1.0, ""}}, 1.0), "");
  EXPECT_EQ(LagReason({}, 1.0), "");
}

TEST(LagReasonTest, TheSlowestReplicaWins) {
  const std::string reason = LagReason({{"r1", 2.5, ""}, {"r2", 7.25, ""}, {"r3", 3, ""}}, 1.0);
  EXPECT_NE(reason.find("r2 lags 7.25 s"), std::string::npos) << reason;
}

TEST(LagReasonTest, AReplicaThatCannotSayFailsClosed) {
  const std::string reason =
      LagReason({{"r1", 0.1, ""}, {"r2", std::nullopt, "has its SQL thread stopped"}}, 1.0);
  EXPECT_EQ(reason, "replica r2 has its SQL thread stopped");
}

TEST(LagReasonTest, FractionalLimits) {
  EXPECT_EQ(LagReason({{"r1", 0.4, ""}}, 0.5), "");
  EXPECT_NE(LagReason({{"r1", 0.6, ""}}, 0.5), "");
}

}  // namespace
}  // namespace shadowalter
