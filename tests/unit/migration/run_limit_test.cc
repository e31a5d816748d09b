#include "migration/run_limit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace shadowalter {
namespace {

constexpr std::time_t kNow = 1796120430;  // 2026-12-01 10:20:30 UTC

TEST(SecondsToLimitTest, TheEarlierLimitWins) {
  Config c;
  std::string why;
  EXPECT_FALSE(SecondsToLimit(c, kNow, &why).has_value());
  c.max_runtime = 3600;
  EXPECT_EQ(SecondsToLimit(c, kNow, &why), 3600);
  EXPECT_EQ(why, "--max-runtime 3600 s");
  c.stop_at = ClockTime{10, 30, true};  // 9.5 minutes away
  EXPECT_EQ(SecondsToLimit(c, kNow, &why), 570);
  EXPECT_EQ(why, "--stop-at 10:30Z");
  c.max_runtime = 60;
  EXPECT_EQ(SecondsToLimit(c, kNow, &why), 60);
  EXPECT_EQ(why, "--max-runtime 60 s");
}

TEST(RunLimitTest, RequestsTheStopWhenDue) {
  StopFlag stop;
  {
    RunLimit limit(0.05, 0, "--max-runtime 0.05s", stop);
    EXPECT_EQ(limit.why(), "--max-runtime 0.05s");
    EXPECT_FALSE(stop.requested());
    for (int i = 0; i < 200 && !stop.requested(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EXPECT_TRUE(stop.requested());
  EXPECT_TRUE(stop.time_limit_reached());
}

TEST(RunLimitTest, EndingFirstRequestsNothing) {
  StopFlag stop;
  { RunLimit limit(3600, 1, "--max-runtime 1h", stop); }
  EXPECT_FALSE(stop.requested());
}

TEST(RunLimitTest, NeverOverridesASignal) {
  StopFlag stop;
  stop.Request(15);
  stop.RequestTimeLimit();
  EXPECT_FALSE(stop.time_limit_reached());
  EXPECT_EQ(stop.signal_number(), 15);
}

}  // namespace
}  // namespace shadowalter
