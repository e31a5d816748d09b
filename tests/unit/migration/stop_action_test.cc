// What each stop does to a run (migration/stop_action.h). The signals themselves are sent to a
// real run in tests/integration/abort_test.cc.
#include "migration/stop_action.h"

#include <gtest/gtest.h>

#include <csignal>

#include "util/stop_flag.h"

namespace shadowalter {
namespace {

TEST(StopActionTest, SighupAlwaysParks) {
  Config c;
  EXPECT_TRUE(StopParks(SIGHUP, c));
  c.on_signal = LimitAction::kAbort;
  c.on_limit = LimitAction::kAbort;
  EXPECT_TRUE(StopParks(SIGHUP, c));
}

TEST(StopActionTest, SigintAndSigtermAbortUnlessOnSignalParks) {
  Config c;
  EXPECT_FALSE(StopParks(SIGINT, c));
  EXPECT_FALSE(StopParks(SIGTERM, c));
  c.on_signal = LimitAction::kPark;
  EXPECT_TRUE(StopParks(SIGINT, c));
  EXPECT_TRUE(StopParks(SIGTERM, c));
  c.on_limit = LimitAction::kAbort;  // the time limit's own choice is another option
  EXPECT_TRUE(StopParks(SIGTERM, c));
}

TEST(StopActionTest, TheTimeLimitFollowsOnLimit) {
  Config c;
  EXPECT_TRUE(StopParks(StopFlag::kTimeLimit, c));
  c.on_limit = LimitAction::kAbort;
  EXPECT_FALSE(StopParks(StopFlag::kTimeLimit, c));
  c.on_signal = LimitAction::kPark;  // --on-signal does not reach the time limit
  EXPECT_FALSE(StopParks(StopFlag::kTimeLimit, c));
}

TEST(StopActionTest, NoStopParksNothing) {
  Config c;
  c.on_signal = LimitAction::kPark;
  EXPECT_FALSE(StopParks(0, c));
}

// The control socket's words win over the options: `park` parks, `abort` cleans up.
TEST(StopActionTest, ControlParkParksAndControlAbortAbortsWhateverTheOptions) {
  Config c;
  EXPECT_TRUE(StopParks(StopFlag::kControlPark, c));
  EXPECT_FALSE(StopParks(StopFlag::kControlAbort, c));
  c.on_signal = LimitAction::kPark;
  c.on_limit = LimitAction::kPark;
  EXPECT_FALSE(StopParks(StopFlag::kControlAbort, c));
  c.on_signal = LimitAction::kAbort;
  c.on_limit = LimitAction::kAbort;
  EXPECT_TRUE(StopParks(StopFlag::kControlPark, c));
}

TEST(StopActionTest, AControlRequestNeverOverridesAStopUnderWay) {
  StopFlag flag;
  EXPECT_TRUE(flag.RequestFromControl(StopFlag::kControlPark));
  EXPECT_FALSE(flag.RequestFromControl(StopFlag::kControlAbort));
  EXPECT_EQ(flag.signal_number(), StopFlag::kControlPark);
  EXPECT_EQ(flag.Describe(), "park on the control socket");
  StopFlag signalled;
  signalled.Request(SIGTERM);
  EXPECT_FALSE(signalled.RequestFromControl(StopFlag::kControlPark));
  EXPECT_EQ(signalled.signal_number(), SIGTERM);
}

}  // namespace
}  // namespace shadowalter
