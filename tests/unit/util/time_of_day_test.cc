#include "util/time_of_day.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace shadowalter {
namespace {

// 2026-12-01 10:20:30 UTC.
constexpr std::time_t kNow = 1796120430;

TEST(ParseDurationTest, AcceptsUnitsLargestFirst) {
  EXPECT_EQ(ParseDuration("90s"), 90);
  EXPECT_EQ(ParseDuration("45m"), 2700);
  EXPECT_EQ(ParseDuration("2h"), 7200);
  EXPECT_EQ(ParseDuration("1h30m"), 5400);
  EXPECT_EQ(ParseDuration("1h30m15s"), 5415);
  EXPECT_EQ(ParseDuration("1h15s"), 3615);
  EXPECT_EQ(ParseDuration("600"), 600);
}

TEST(ParseDurationTest, RejectsMalformed) {
  for (const char* bad :
       {"", "0", "0s", "m", "1x", "30m1h", "1h1h", "1.5h", "-5m", "1h 30m", "h30", "9999999h"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(ParseClockTimeTest, LocalAndUtc) {
  EXPECT_EQ(ParseClockTime("06:30"), (ClockTime{6, 30, false}));
  EXPECT_EQ(ParseClockTime("23:59Z"), (ClockTime{23, 59, true}));
  for (const char* bad : {"24:00", "6:30", "06:60", "0630", "06:30:00", "", "Z", "ab:cd"}) {
    EXPECT_FALSE(ParseClockTime(bad).has_value()) << bad;
  }
  EXPECT_EQ(ToString(ClockTime{1, 5, true}), "01:05Z");
}

TEST(ParseClockWindowTest, BothEndsInOneZone) {
  auto w = ParseClockWindow("22:00Z-02:00Z");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->from, (ClockTime{22, 0, true}));
  EXPECT_EQ(w->to, (ClockTime{2, 0, true}));
  EXPECT_FALSE(ParseClockWindow("22:00Z-02:00").has_value());  // mixed zones
  EXPECT_FALSE(ParseClockWindow("01:00-01:00").has_value());   // empty
  EXPECT_FALSE(ParseClockWindow("01:00").has_value());
  EXPECT_EQ(ToString(*w), "22:00Z-02:00Z");
}

TEST(SecondsUntilTest, UtcClock) {
  EXPECT_EQ(SecondsUntil(ClockTime{10, 21, true}, kNow), 30);
  EXPECT_EQ(SecondsUntil(ClockTime{11, 0, true}, kNow), 39 * 60 + 30);
  // Passed today: tomorrow.
  EXPECT_EQ(SecondsUntil(ClockTime{10, 0, true}, kNow), 86400 - 20 * 60 - 30);
}

// kNow is 10:20:30 UTC. The cron line of docs/operations.md: started 02:30, window 03:00-05:00,
// --stop-at 06:00.
TEST(WindowWaitTest, AWindowThatOpensBeforeTheRunMustStopIsWaitedFor) {
  EXPECT_EQ(SecondsToWaitForWindow(*ParseClockWindow("10:00Z-11:00Z"), kNow, std::nullopt), 0.0);
  EXPECT_EQ(SecondsToWaitForWindow(*ParseClockWindow("10:00Z-11:00Z"), kNow, 1.0), 0.0);
  // Opens at 10:30, in 570 s: waited for when the run may go on longer than that.
  EXPECT_EQ(SecondsToWaitForWindow(*ParseClockWindow("10:30Z-11:00Z"), kNow, 3600.0), 570.0);
  EXPECT_EQ(SecondsToWaitForWindow(*ParseClockWindow("10:30Z-11:00Z"), kNow, 570.0), std::nullopt);
  // No time limit: the run parks, as it always did.
  EXPECT_EQ(SecondsToWaitForWindow(*ParseClockWindow("10:30Z-11:00Z"), kNow, std::nullopt),
            std::nullopt);
  // Tomorrow's window is after any limit of tonight's run.
  EXPECT_EQ(SecondsToWaitForWindow(*ParseClockWindow("09:00Z-10:00Z"), kNow, 4 * 3600.0),
            std::nullopt);
}

TEST(InWindowTest, PlainAndAcrossMidnight) {
  EXPECT_TRUE(InWindow(*ParseClockWindow("10:00Z-11:00Z"), kNow));
  EXPECT_FALSE(InWindow(*ParseClockWindow("10:21Z-11:00Z"), kNow));
  EXPECT_FALSE(InWindow(*ParseClockWindow("09:00Z-10:20Z"), kNow));  // the end is outside
  EXPECT_TRUE(InWindow(*ParseClockWindow("22:00Z-10:21Z"), kNow));
  EXPECT_FALSE(InWindow(*ParseClockWindow("22:00Z-02:00Z"), kNow));
}

TEST(SecondsUntilTest, LocalClockFollowsTheTimeZone) {
  setenv("TZ", "JST-9", 1);  // UTC+9 as a POSIX rule: needs no tzdata
  tzset();
  EXPECT_EQ(SecondsUntil(ClockTime{19, 21, false}, kNow), 30);
  EXPECT_TRUE(InWindow(*ParseClockWindow("19:00-20:00"), kNow));
  unsetenv("TZ");
  tzset();
}

}  // namespace
}  // namespace shadowalter
