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

}  // namespace
}  // namespace shadowalter
