// What a run has on record decides, without a server: whether an ending parks or cleans up, where
// a resumed copy starts, and that nothing is written before the run has a checkpoint. The store's
// statements are tested in tests/unit/state/checkpoint_store_test.cc.
#include "migration/run_record.h"

#include <gtest/gtest.h>

#include "db/scripted_session.h"
#include "sql/checkpoint.h"

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
constexpr char kRunId[] = "0123456789abcdef";
constexpr char kStoppedRunId[] = "3f9a0c27d41e8b65";

TEST(RunRecordTest, ALostConnectionParksOnlyOnceOnRecordAndBeforeTheSwap) {
  RunRecord record("shop", "_orders_state", kRunId);
  EXPECT_FALSE(record.ParksOn(kLost, false, false));  // nothing to keep yet: clean up
  ScriptedSession s;                                  // no stopped run: nothing to write
  ASSERT_TRUE(record.Adopt(s).ok());
  EXPECT_TRUE(record.ParksOn(kLost, false, false));
  EXPECT_FALSE(record.ParksOn(kLost, false, /*swapped=*/true));  // finish the steps after
  EXPECT_FALSE(record.ParksOn(ServerError(1114, "The table is full"), false, false));
}

TEST(RunRecordTest, AStopParksOnlyWhenItsActionIsToPark) {
  RunRecord record("shop", "_orders_state", kRunId);
  const Status stopped = AbortedError("stopped by SIGHUP");
  EXPECT_TRUE(record.ParksOn(stopped, /*stop_parks=*/true, false));
  EXPECT_FALSE(record.ParksOn(stopped, /*stop_parks=*/false, false));
  // Only a stop parks that way: another failure cleans up whatever the stop would have done.
  EXPECT_FALSE(record.ParksOn(ServerError(1114, "The table is full"), true, false));
  EXPECT_TRUE(record.ParksOn(ParkedError("outside the cut-over window"), false, false));
}

TEST(RunRecordTest, AResumedCopyStartsAfterTheStoppedRunsPosition) {
  RunRecord fresh("shop", "_orders_state", kRunId);
  EXPECT_FALSE(fresh.CopyStartPoint().after.has_value());
  EXPECT_FALSE(fresh.CopyStartPoint().all_copied);

  RunRecord copying("shop", "_orders_state", kRunId);
  copying.Resume(Stopped(RunPhase::kCopying));
  ASSERT_TRUE(copying.CopyStartPoint().after.has_value());
  EXPECT_EQ(*copying.CopyStartPoint().after, std::vector<std::string>{"42"});
  EXPECT_EQ(copying.CopyStartPoint().rows_copied, 42u);

  RunRecord copied("shop", "_orders_state", kRunId);
  copied.Resume(Stopped(RunPhase::kVerified));
  EXPECT_TRUE(copied.CopyStartPoint().all_copied);
}

TEST(RunRecordTest, NothingIsWrittenBeforeTheRunHasACheckpoint) {
  RunRecord record("shop", "_orders_state", kRunId);
  record.Resume(Stopped(RunPhase::kCopying));  // not adopted yet: the checks are still to come
  ScriptedSession s;                           // expects nothing: any statement fails the test
  EXPECT_TRUE(record.RecordPhase(s, RunPhase::kCopied).ok());
  EXPECT_TRUE(record.RecordNote(s, "parked").ok());
  EXPECT_TRUE(s.statements().empty());
}

TEST(RunRecordTest, TheRunIdIsProvisionalUntilSettled) {
  RunRecord record("shop", "_orders_state", kRunId);
  EXPECT_EQ(record.run_id(), kRunId);
  EXPECT_FALSE(record.run_id_settled());
  record.SettleRunId(nullptr);  // no stopped run: the id made at start
  EXPECT_TRUE(record.run_id_settled());
  EXPECT_EQ(record.run_id(), kRunId);
}

TEST(RunRecordTest, ARunThatFindsAStoppedRunTakesItsId) {
  RunRecord record("shop", "_orders_state", kRunId);
  Checkpoint stopped = Stopped(RunPhase::kCopying);
  stopped.run_id = kStoppedRunId;
  record.SettleRunId(&stopped);
  EXPECT_TRUE(record.run_id_settled());
  EXPECT_EQ(record.run_id(), kStoppedRunId);
  // Its checkpoint has the id already: adopting it writes nothing.
  record.Resume(stopped);
  ScriptedSession s;
  ASSERT_TRUE(record.Adopt(s).ok());
  EXPECT_TRUE(s.statements().empty());
}

TEST(RunRecordTest, AStoppedRunOfAnEarlierBuildGetsThisRunsIdWhenTakenOn) {
  const std::string table = "_orders_state";
  const Checkpoint stopped = Stopped(RunPhase::kCopying);  // no run id
  {
    RunRecord record("shop", table, kRunId);
    record.SettleRunId(&stopped);
    EXPECT_EQ(record.run_id(), kRunId);
    record.Resume(stopped);
    ScriptedSession s;
    s.Expect(CountRunIdColumn("shop", table)).Returns({{"0"}});
    s.Expect(AddRunIdColumn("shop", table));
    s.Expect(UpdateCheckpointText("shop", table, checkpoint_column::kRunId, kRunId));
    ASSERT_TRUE(record.Adopt(s).ok());
    EXPECT_TRUE(record.on_record());
  }
  {
    // One that had swapped is finished, its checkpoint this run's at once.
    RunRecord record("shop", table, kRunId);
    record.SettleRunId(&stopped);
    ScriptedSession s;
    s.Expect(CountRunIdColumn("shop", table)).Returns({{"1"}});
    s.Expect(UpdateCheckpointText("shop", table, checkpoint_column::kRunId, kRunId));
    ASSERT_TRUE(record.Finish(s, stopped).ok());
    EXPECT_EQ(record.kind(), kFinishing);
  }
}

}  // namespace
}  // namespace shadowalter
