// What a run has on record decides, without a server: whether an ending parks or cleans up, where
// a resumed copy starts, and that nothing is written before the run has a checkpoint. The store's
// statements are tested in tests/unit/state/checkpoint_store_test.cc.
#include "migration/run_record.h"

#include <gtest/gtest.h>

#include "db/scripted_session.h"

namespace shadowalter {
namespace {

Checkpoint Stopped(RunPhase phase) {
  Checkpoint c;
  c.phase = phase;
  c.position = std::vector<std::string>{"42"};
  c.rows_copied = 42;
  return c;
}

const Status kLost = ServerError(2013, "Lost connection to server during query");

TEST(RunRecordTest, ALostConnectionParksOnlyOnceOnRecordAndBeforeTheSwap) {
  RunRecord record("shop", "_orders_state");
  EXPECT_FALSE(record.ParksOn(kLost, false, false));  // nothing to keep yet: clean up
  record.Adopt();
  EXPECT_TRUE(record.ParksOn(kLost, false, false));
  EXPECT_FALSE(record.ParksOn(kLost, false, /*swapped=*/true));  // finish the steps after
  EXPECT_FALSE(record.ParksOn(ServerError(1114, "The table is full"), false, false));
}

TEST(RunRecordTest, AStopParksOnlyWhenItsActionIsToPark) {
  RunRecord record("shop", "_orders_state");
  const Status stopped = AbortedError("stopped by SIGHUP");
  EXPECT_TRUE(record.ParksOn(stopped, /*stop_parks=*/true, false));
  EXPECT_FALSE(record.ParksOn(stopped, /*stop_parks=*/false, false));
  // Only a stop parks that way: another failure cleans up whatever the stop would have done.
  EXPECT_FALSE(record.ParksOn(ServerError(1114, "The table is full"), true, false));
  EXPECT_TRUE(record.ParksOn(ParkedError("outside the cut-over window"), false, false));
}

TEST(RunRecordTest, AResumedCopyStartsAfterTheStoppedRunsPosition) {
  RunRecord fresh("shop", "_orders_state");
  EXPECT_FALSE(fresh.CopyStartPoint().after.has_value());
  EXPECT_FALSE(fresh.CopyStartPoint().all_copied);

  RunRecord copying("shop", "_orders_state");
  copying.Resume(Stopped(RunPhase::kCopying));
  ASSERT_TRUE(copying.CopyStartPoint().after.has_value());
  EXPECT_EQ(*copying.CopyStartPoint().after, std::vector<std::string>{"42"});
  EXPECT_EQ(copying.CopyStartPoint().rows_copied, 42u);

  RunRecord copied("shop", "_orders_state");
  copied.Resume(Stopped(RunPhase::kVerified));
  EXPECT_TRUE(copied.CopyStartPoint().all_copied);
}

TEST(RunRecordTest, NothingIsWrittenBeforeTheRunHasACheckpoint) {
  RunRecord record("shop", "_orders_state");
  record.Resume(Stopped(RunPhase::kCopying));  // not adopted yet: the checks are still to come
  ScriptedSession s;                           // expects nothing: any statement fails the test
  EXPECT_TRUE(record.RecordPhase(s, RunPhase::kCopied).ok());
  EXPECT_TRUE(record.RecordNote(s, "parked").ok());
  EXPECT_TRUE(s.statements().empty());
}

}  // namespace
}  // namespace shadowalter
