// The cut-over's decisions without a server: the foreign-key method, repointing through a
// scripted session (undo pushed before each statement runs), the window, and the steps queued
// after the swap, in the order they run. The swap itself runs against the sandbox
// (tests/integration: SwapGuard, Triggers, ForeignKeys, Resume).
#include "migration/cutover.h"

#include <gtest/gtest.h>

#include <csignal>
#include <ctime>
#include <string>
#include <vector>

#include "db/scripted_session.h"
#include "sql/ddl.h"
#include "sql/triggers.h"

namespace shadowalter {
namespace {

using Strings = std::vector<std::string>;

ForeignKeyRef Child(const std::string& name, const std::string& child) {
  ForeignKeyRef fk;
  fk.constraint_name = name;
  fk.child_schema = "shop";
  fk.child_table = child;
  fk.columns = {"order_id"};
  fk.referenced_schema = "shop";
  fk.referenced_table = "orders";
  fk.referenced_columns = {"id"};
  return fk;
}

// A Cutover over `orders` in `shop`, and everything it references.
struct Fixture {
  Config config;
  ArtifactNames names = NamesFor("orders");
  TableInfo original;
  TableInfo shadow;
  RefusalLog refusals{"shop", NamesFor("orders").refusals_table};
  RunRecord record{"shop", NamesFor("orders").checkpoint_table, "0123456789abcdef"};
  CleanupStack cleanup;
  DdlRetryPolicy policy;
  StopFlag stop;

  Fixture() {
    config.conn.database = "shop";
    config.conn.table = "orders";
    policy.tries = 1;
    policy.lock_wait_timeout_seconds = 2;
  }
  Cutover Make() {
    return Cutover(config, names, original, shadow, refusals, record, cleanup, policy, stop);
  }
};

// Unwinds like the orchestrator does, recording the statements in the order they ran.
struct Unwinder {
  Strings ran;
  Strings fail_on;
  Strings operator()(CleanupStack& steps) {
    return steps.Unwind([this](const std::string& sql) {
      ran.push_back(sql);
      for (const std::string& f : fail_on) {
        if (f == sql) return Status(Code::kServer, "denied", 1142);
      }
      return Status::Ok();
    });
  }
};

TEST(CutoverTest, WithoutChildTablesThereIsNoForeignKeyMethod) {
  Fixture f;
  f.config.foreign_keys_method = ForeignKeyMethod::kDropSwap;
  Cutover c = f.Make();
  c.ChooseForeignKeyMethod();
  EXPECT_EQ(c.foreign_key_method(), ForeignKeyMethod::kUnset);
}

TEST(CutoverTest, AutoChoosesRebuildConstraintsAndAnExplicitMethodStays) {
  Fixture f;
  f.original.referenced_by = {Child("fk_item_order", "items")};
  f.config.foreign_keys_method = ForeignKeyMethod::kAuto;
  Cutover automatic = f.Make();
  automatic.ChooseForeignKeyMethod();
  EXPECT_EQ(automatic.foreign_key_method(), ForeignKeyMethod::kRebuildConstraints);
  f.config.foreign_keys_method = ForeignKeyMethod::kDropSwap;
  Cutover explicit_method = f.Make();
  explicit_method.ChooseForeignKeyMethod();
  EXPECT_EQ(explicit_method.foreign_key_method(), ForeignKeyMethod::kDropSwap);
}

TEST(CutoverTest, RepointingPushesEachUndoBeforeRunningItsStatement) {
  Fixture f;
  f.original.referenced_by = {Child("fk_item_order", "items"), Child("fk_note_order", "notes")};
  f.config.foreign_keys_method = ForeignKeyMethod::kRebuildConstraints;
  Cutover c = f.Make();
  c.ChooseForeignKeyMethod();
  const auto first = c.RepointStatements(f.original.referenced_by[0]);
  const auto second = c.RepointStatements(f.original.referenced_by[1]);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->first.find("`_orders_new`"), std::string::npos) << first->first;
  EXPECT_NE(first->second.find("`orders`"), std::string::npos) << first->second;

  ScriptedSession s;
  // Each statement runs through RunDdlWithRetry, which bounds its lock wait first.
  const std::string bound = "SET SESSION lock_wait_timeout = 2";
  s.Expect(bound);
  s.Expect(first->first);
  s.Expect(bound);
  // The answer to the second is lost: the change may have happened all the same.
  s.Expect(second->first).Fails(Status(Code::kConnection, "Lost connection", 2013));
  Status st = c.RepointChildForeignKeys(s);
  EXPECT_EQ(st.server_errno(), 2013u);
  EXPECT_EQ(st.message(), "repointing foreign key `fk_note_order`: Lost connection");
  // Both undos are on the run's stack, newest first.
  EXPECT_EQ(f.cleanup.Pending(), (Strings{second->second, first->second}));
}

TEST(CutoverTest, OtherMethodsRepointNothing) {
  Fixture f;
  f.original.referenced_by = {Child("fk_item_order", "items")};
  f.config.foreign_keys_method = ForeignKeyMethod::kDropSwap;
  Cutover c = f.Make();
  c.ChooseForeignKeyMethod();
  ScriptedSession s;  // fails the test on any statement
  EXPECT_TRUE(c.RepointChildForeignKeys(s).ok());
  EXPECT_TRUE(f.cleanup.empty());
}

TEST(CutoverTest, AStoppedRunsStepsRunTriggersFirstAndTheCheckpointLast) {
  Fixture f;
  Cutover c = f.Make();
  c.StoppedRunSwapped();
  c.QueueStoppedRunsSteps();
  Unwinder unwind;
  ASSERT_TRUE(c.Finish(std::ref(unwind)).ok());
  EXPECT_TRUE(c.swapped());
  EXPECT_EQ(unwind.ran, (Strings{DropTriggerStatement("shop", f.names.delete_trigger),
                                 DropTriggerStatement("shop", f.names.update_trigger),
                                 DropTriggerStatement("shop", f.names.insert_trigger),
                                 DropTableStatement("shop", f.names.refusals_table),
                                 DropTableStatement("shop", f.names.old_table),
                                 DropTableStatement("shop", f.names.heartbeat_table),
                                 DropTableStatement("shop", f.names.checkpoint_table)}));
  // The run's undo stack is not where these live.
  EXPECT_TRUE(f.cleanup.empty());
}

TEST(CutoverTest, NoDropOldTableKeepsItOutOfTheSteps) {
  Fixture f;
  f.config.drop_old_table = false;
  Cutover c = f.Make();
  c.QueueStoppedRunsSteps();
  Unwinder unwind;
  ASSERT_TRUE(c.Finish(std::ref(unwind)).ok());
  for (const std::string& sql : unwind.ran) {
    EXPECT_EQ(sql.find(f.names.old_table), std::string::npos) << sql;
  }
  EXPECT_EQ(unwind.ran.size(), 6u);
}

TEST(CutoverTest, AFailedStepLeavesTheRestAsLeftoversInOrder) {
  Fixture f;
  Cutover c = f.Make();
  c.QueueStoppedRunsSteps();
  Unwinder unwind;
  unwind.fail_on = {DropTableStatement("shop", f.names.old_table)};
  Status st = c.Finish(std::ref(unwind));
  EXPECT_EQ(st.code(), Code::kInternal);
  ASSERT_TRUE(c.has_leftovers());
  EXPECT_EQ(c.TakeLeftovers(), (Strings{DropTableStatement("shop", f.names.old_table),
                                        DropTableStatement("shop", f.names.heartbeat_table),
                                        DropTableStatement("shop", f.names.checkpoint_table)}));
  EXPECT_FALSE(c.has_leftovers());
}

// A window of one hour starting `hours_from_now` hours from now (UTC).
ClockWindow WindowIn(int hours_from_now) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  ClockWindow w;
  w.from = {(utc.tm_hour + hours_from_now) % 24, 0, true};
  w.to = {(utc.tm_hour + hours_from_now + 1) % 24, 0, true};
  return w;
}

TEST(CutoverTest, OutsideTheWindowTheSwapParksUnlessItOpensBeforeTheTimeLimit) {
  Fixture f;
  int verified = 0;
  auto verify = [&verified] {
    ++verified;
    return Status::Ok();
  };
  f.config.cutover_window = WindowIn(2);
  Status no_limit = f.Make().CheckWindow(std::nullopt, verify);
  EXPECT_EQ(no_limit.code(), Code::kParked);
  EXPECT_NE(no_limit.message().find("outside the cut-over window"), std::string::npos)
      << no_limit.message();
  // The limit comes first: park, and say why.
  Status limit_first = f.Make().CheckWindow(3600, verify);
  EXPECT_EQ(limit_first.code(), Code::kParked);
  EXPECT_NE(limit_first.message().find("opens after the run's time limit"), std::string::npos)
      << limit_first.message();
  // The window opens first: the run waits for it (a stop request ends the wait at once here).
  f.stop.Request(SIGTERM);
  Status waited = f.Make().CheckWindow(4 * 3600, verify);
  EXPECT_EQ(waited.code(), Code::kAborted) << waited.message();
  EXPECT_EQ(verified, 0);
  // Inside the window: on with the swap, nothing verified again.
  f.config.cutover_window = WindowIn(0);
  EXPECT_TRUE(f.Make().CheckWindow(std::nullopt, verify).ok());
  EXPECT_EQ(verified, 0);
}

TEST(CutoverTest, WithoutThePostponeFileNothingWaitsOrVerifiesAgain) {
  Fixture f;
  f.config.postpone_cutover_file = "/nonexistent/shadowalter-postpone";
  bool verified = false;
  EXPECT_TRUE(f.Make()
                  .WaitForFile([&] {
                    verified = true;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(verified);
}

}  // namespace
}  // namespace shadowalter
