// The stopped-run checks: their order and stages, and each one's decision on a hand-built
// checkpoint, command line and artifacts found. Only CheckTriggersUnchanged,
// CheckNoForeignKeyToNewTable and CheckNewTableTriggersOnRecord read the server (a scripted
// session); the others must send nothing. The whole resume path runs against the sandbox in
// tests/integration/resume_test.cc, the cleanup's in tests/integration/triggers_test.cc and
// foreign_keys_test.cc.
#include "check/stopped_run.h"

#include <gtest/gtest.h>

#include "db/scripted_session.h"
#include "sql/inspect_queries.h"

namespace shadowalter {
namespace {

constexpr char kAdvice[] =
    "; remove the stopped run with `shadowalter cleanup h=db1,D=shop,t=orders` and run again";

class StoppedRunChecksTest : public ::testing::Test {
 protected:
  StoppedRunChecksTest() {
    config.conn.host = "db1";
    config.conn.database = "shop";
    config.conn.table = "orders";
    stopped.alter = "ADD COLUMN note TEXT";
    stopped.phase = RunPhase::kCopying;
    stopped.started_at = "2026-12-06 10:00:00";
    stopped.started_by = "app1 pid 7";
    stopped.chunk_key = "`id`";
    original.create_statement = "CREATE TABLE `orders` (`id` int)";
    new_table.create_statement = "CREATE TABLE `_orders_new` (`id` int, `note` text)";
    stopped.original_fingerprint = DefinitionFingerprint(original.create_statement);
    stopped.new_table_fingerprint = DefinitionFingerprint(new_table.create_statement);
    found.new_table = true;
    found.refusals_table = true;
    found.triggers = {names.insert_trigger, names.update_trigger, names.delete_trigger};
  }

  // Everything the last stage knows; each test takes what it needs.
  StoppedRunContext Context() {
    StoppedRunContext ctx{session, config, names, &stopped};
    ctx.identity = &identity;
    ctx.found = &found;
    ctx.original = &original;
    ctx.new_table = &new_table;
    ctx.chunk_key = "`id`";
    return ctx;
  }

  ScriptedSession session{"primary"};
  Config config;
  ArtifactNames names = NamesFor("orders");
  Checkpoint stopped;
  RunIdentity identity;
  ArtifactsFound found;
  TableInfo original, new_table;
};

TEST_F(StoppedRunChecksTest, RunInTheirStagesInOrder) {
  using S = StoppedRunStage;
  std::vector<std::pair<std::string, S>> list;
  for (const StoppedRunCheck& c : StoppedRunChecks()) list.emplace_back(c.name, c.stage);
  EXPECT_EQ(list, (std::vector<std::pair<std::string, S>>{
                      {"stopped-run-on-record", S::kCheckpointRead},
                      {"resume-asked", S::kCheckpointRead},
                      {"same-alter", S::kCheckpointRead},
                      {"same-foreign-keys-method", S::kAlterAdopted},
                      {"same-preserve-triggers", S::kAlterAdopted},
                      {"own-triggers-on-record", S::kOwnTriggersBack},
                      {"new-table-kept", S::kContinuing},
                      {"same-table-definition", S::kCopyPlanned},
                      {"same-new-table", S::kCopyPlanned},
                      {"same-chunk-key", S::kCopyPlanned},
                      {"triggers-kept", S::kArtifactsFound},
                      {"triggers-unchanged", S::kArtifactsFound},
                      {"refusal-log-kept", S::kArtifactsFound},
                      {"table-kept", S::kBeforeCleanup},
                      {"no-foreign-key-to-new-table", S::kBeforeCleanup},
                      {"own-triggers-on-record", S::kBeforeCleanup},
                      {"new-table-triggers-on-record", S::kBeforeCleanup},
                  }));
}

TEST_F(StoppedRunChecksTest, DescribesTheStoppedRun) {
  EXPECT_EQ(DescribeStoppedRun(stopped, config),
            "a stopped run of `shop`.`orders` (ALTER \"ADD COLUMN note TEXT\", phase copying, "
            "started 2026-12-06 10:00:00 UTC by app1 pid 7)");
}

TEST_F(StoppedRunChecksTest, ResumeCommandNeedsAStoppedRun) {
  StoppedRunContext ctx{session, config, names, nullptr};
  EXPECT_TRUE(RunStoppedRunChecks(ctx, StoppedRunStage::kCheckpointRead).ok());
  config.resume = ResumePolicy::kRequired;
  Status s = RunStoppedRunChecks(ctx, StoppedRunStage::kCheckpointRead);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "there is no stopped run of `shop`.`orders` to resume (no checkpoint "
            "`_orders_state`); start one with --alter ... --execute");
  ctx.stopped = &stopped;
  EXPECT_TRUE(CheckStoppedRunOnRecord(ctx).ok());
}

TEST_F(StoppedRunChecksTest, AStoppedRunIsContinuedOnlyWhenAsked) {
  StoppedRunContext ctx = Context();
  Status s = CheckResumeAsked(ctx);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(), DescribeStoppedRun(stopped, config) +
                             " is on record in `_orders_state`: continue it with `shadowalter "
                             "resume h=db1,D=shop,t=orders` (or add --resume), or remove it with "
                             "`shadowalter cleanup h=db1,D=shop,t=orders`");
  for (ResumePolicy p : {ResumePolicy::kIfStopped, ResumePolicy::kRequired}) {
    config.resume = p;
    EXPECT_TRUE(CheckResumeAsked(ctx).ok());
  }
}

TEST_F(StoppedRunChecksTest, AnAlterGivenMustBeTheStoppedRuns) {
  config.resume = ResumePolicy::kIfStopped;
  StoppedRunContext ctx = Context();
  EXPECT_TRUE(CheckSameAlter(ctx).ok());  // none given: the stopped run's is taken
  config.alter = "  ADD COLUMN note TEXT\n";
  EXPECT_TRUE(CheckSameAlter(ctx).ok());
  config.alter = "ADD COLUMN memo TEXT";
  Status s = RunStoppedRunChecks(ctx, StoppedRunStage::kCheckpointRead);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(), DescribeStoppedRun(stopped, config) +
                             " has a different ALTER than \"ADD COLUMN memo TEXT\": resume it "
                             "without --alter, or remove it first with `shadowalter cleanup "
                             "h=db1,D=shop,t=orders`");
}

TEST_F(StoppedRunChecksTest, AForeignKeysMethodGivenMustBeTheStoppedRuns) {
  StoppedRunContext ctx = Context();
  identity.foreign_keys_method = "rebuild_constraints";
  EXPECT_TRUE(CheckSameForeignKeysMethod(ctx).ok());  // none given: the stopped run's is taken
  config.foreign_keys_method = ForeignKeyMethod::kRebuildConstraints;
  EXPECT_TRUE(CheckSameForeignKeysMethod(ctx).ok());
  config.foreign_keys_method = ForeignKeyMethod::kDropSwap;
  Status s = CheckSameForeignKeysMethod(ctx);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "the stopped run uses --alter-foreign-keys-method rebuild_constraints, not drop_swap: "
            "resume it with the same method");
  identity.foreign_keys_method = "";
  EXPECT_EQ(CheckSameForeignKeysMethod(ctx).message(),
            "the stopped run uses --alter-foreign-keys-method (none given), not drop_swap: "
            "resume it with the same method");
}

TEST_F(StoppedRunChecksTest, PreserveTriggersOnlyForARunThatUsedIt) {
  StoppedRunContext ctx = Context();
  EXPECT_TRUE(RunStoppedRunChecks(ctx, StoppedRunStage::kAlterAdopted).ok());
  identity.preserve_triggers = true;
  EXPECT_TRUE(CheckSamePreserveTriggers(ctx).ok());  // not given: the stopped run's is taken
  config.preserve_triggers = true;
  EXPECT_TRUE(CheckSamePreserveTriggers(ctx).ok());
  identity.preserve_triggers = false;
  Status s = RunStoppedRunChecks(ctx, StoppedRunStage::kAlterAdopted);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "the stopped run did not use --preserve-triggers: resume it without, or remove it "
            "with `shadowalter cleanup` first");
}

TEST_F(StoppedRunChecksTest, ARunToContinueNeedsItsNewTable) {
  StoppedRunContext ctx = Context();
  EXPECT_TRUE(RunStoppedRunChecks(ctx, StoppedRunStage::kContinuing).ok());
  found.new_table = false;
  Status s = RunStoppedRunChecks(ctx, StoppedRunStage::kContinuing);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(), DescribeStoppedRun(stopped, config) +
                             " has lost its new table `_orders_new`: nothing to resume; remove "
                             "the rest with `shadowalter cleanup h=db1,D=shop,t=orders` and run "
                             "again");
}

TEST_F(StoppedRunChecksTest, NothingPlannedChangedSinceItStopped) {
  StoppedRunContext ctx = Context();
  EXPECT_TRUE(RunStoppedRunChecks(ctx, StoppedRunStage::kCopyPlanned).ok());
  // AUTO_INCREMENT moves by itself: not a change of definition.
  original.create_statement = "CREATE TABLE `orders` (`id` int) AUTO_INCREMENT=9";
  EXPECT_TRUE(CheckSameTableDefinition(ctx).ok());
  original.create_statement = "CREATE TABLE `orders` (`id` bigint)";
  EXPECT_EQ(CheckSameTableDefinition(ctx).message(),
            std::string("the table's definition changed since the stopped run started, so its "
                        "triggers and new table no longer match it") +
                kAdvice);
  stopped.original_fingerprint = "";  // not recorded: nothing to compare
  EXPECT_TRUE(CheckSameTableDefinition(ctx).ok());

  new_table.create_statement = "CREATE TABLE `_orders_new` (`id` int)";
  EXPECT_EQ(
      CheckSameNewTable(ctx).message(),
      std::string("the new table `_orders_new` changed since the stopped run made it") + kAdvice);
}

TEST_F(StoppedRunChecksTest, TheCopyWalksTheStoppedRunsKey) {
  StoppedRunContext ctx = Context();
  ctx.chunk_key = "`id`,`k`";
  Status s = RunStoppedRunChecks(ctx, StoppedRunStage::kCopyPlanned);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            std::string("the stopped run walked the key (`id`), this one would walk (`id`,`k`)") +
                kAdvice);
  stopped.chunk_key = "";  // stopped before recording it: this run records its own
  EXPECT_TRUE(CheckSameChunkKey(ctx).ok());
}

TEST_F(StoppedRunChecksTest, ItsTriggersMustAllBeThere) {
  StoppedRunContext ctx = Context();
  found.triggers = {names.update_trigger};
  Status s = CheckTriggersKept(ctx);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "trigger `sa_orders_ins`, `sa_orders_del` of the stopped run is gone, so "
            "writes since then never reached the new table" +
                std::string(kAdvice));
  stopped.phase = RunPhase::kTriggers;  // still making them: CreateTriggers makes all three again
  EXPECT_TRUE(CheckTriggersKept(ctx).ok());
}

TEST_F(StoppedRunChecksTest, ItsTriggersMustBeAsItMadeThem) {
  const std::vector<std::string> ours = {names.insert_trigger, names.update_trigger,
                                         names.delete_trigger};
  const ScriptedRows rows = {{"sa_orders_ins", "AFTER", "INSERT", "5245504C414345"}};
  stopped.triggers_fingerprint = Fingerprint("sa_orders_ins\nAFTER\nINSERT\n5245504C414345\n");
  session.Expect(TriggerDefinitionsQuery("shop", ours)).Returns(rows);
  EXPECT_TRUE(CheckTriggersUnchanged(Context()).ok());

  stopped.triggers_fingerprint = Fingerprint("something else");
  session.Expect(TriggerDefinitionsQuery("shop", ours)).Returns(rows);
  Status s = CheckTriggersUnchanged(Context());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "the stopped run's triggers were changed since it made them" + std::string(kAdvice));

  session.Expect(TriggerDefinitionsQuery("shop", ours)).Fails(ServerError(2013));
  EXPECT_EQ(CheckTriggersUnchanged(Context()).code(), Code::kConnection);

  stopped.phase = RunPhase::kTriggers;  // no triggers yet to compare: nothing is read
  EXPECT_TRUE(CheckTriggersUnchanged(Context()).ok());
}

TEST_F(StoppedRunChecksTest, ItsRefusalLogMustBeThere) {
  StoppedRunContext ctx = Context();
  EXPECT_TRUE(CheckRefusalLogKept(ctx).ok());
  found.refusals_table = false;
  EXPECT_EQ(CheckRefusalLogKept(ctx).message(),
            "the stopped run has no refusal log `_orders_refused`, so a write its triggers "
            "skipped would go unseen" +
                std::string(kAdvice));
  stopped.phase = RunPhase::kNewTable;
  EXPECT_TRUE(CheckRefusalLogKept(ctx).ok());
}

TEST_F(StoppedRunChecksTest, TheFirstFailureOfAStageEndsIt) {
  found.triggers.clear();
  found.refusals_table = false;
  // Missing triggers are named; the definitions are not read, the refusal log not judged.
  Status s = RunStoppedRunChecks(Context(), StoppedRunStage::kArtifactsFound);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message().rfind("trigger `sa_orders_ins`, `sa_orders_upd`, `sa_orders_del` of", 0),
            0u)
      << s.message();
  EXPECT_TRUE(session.statements().empty());
}

// A run of an earlier build (no own_triggers in its checkpoint) with --preserve-triggers, stopped
// inside the trigger cut-over (one of our triggers gone, not swapped): resume and cleanup refuse
// alike, each with its own advice.
TEST_F(StoppedRunChecksTest, TheOwnTriggersToPutBackMustBeOnRecord) {
  stopped.phase = RunPhase::kSwapping;
  stopped.tool_version = "0.9.0";
  stopped.identity = RunIdentity{"", true}.Encode();
  found.original = true;
  found.triggers = {names.update_trigger, names.delete_trigger};
  StoppedRunContext ctx = Context();
  const std::string what =
      "the stopped run stopped inside the trigger cut-over, and its checkpoint (made by "
      "shadowalter 0.9.0) does not keep the table's own triggers";
  Status s = RunStoppedRunChecks(ctx, StoppedRunStage::kOwnTriggersBack);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            what +
                ", so they can't be put back from it: compare the triggers of `shop`.`orders` "
                "and `shop`.`_orders_new` with your own definitions, put the missing ones back "
                "on the table by hand, then run `shadowalter cleanup h=db1,D=shop,t=orders`");
  config.mode = RunMode::kCleanup;
  EXPECT_EQ(CheckOwnTriggersOnRecord(ctx).message(),
            what +
                ": put the table's missing triggers back on `shop`.`orders` by hand (SHOW CREATE "
                "TRIGGER shows those on the new table), drop any from the new table, then run "
                "cleanup again");

  found.triggers.push_back(names.insert_trigger);  // all three there: the cut-over had not begun
  EXPECT_TRUE(CheckOwnTriggersOnRecord(ctx).ok());
  found.triggers.clear();
  found.new_table = false;  // swapped: the new table had the table's triggers already
  found.old_table = true;
  EXPECT_TRUE(CheckOwnTriggersOnRecord(ctx).ok());
  found.new_table = true;
  found.old_table = false;
  stopped.own_triggers = std::vector<Trigger>();  // kept: they go back from the checkpoint
  EXPECT_TRUE(CheckOwnTriggersOnRecord(ctx).ok());
  stopped.own_triggers.reset();
  stopped.identity = RunIdentity{"", false}.Encode();  // not moved: nothing to put back
  EXPECT_TRUE(CheckOwnTriggersOnRecord(ctx).ok());
  stopped.identity = RunIdentity{"", true}.Encode();
  stopped.phase = RunPhase::kCopying;  // before the cut-over
  EXPECT_TRUE(CheckOwnTriggersOnRecord(ctx).ok());
  ctx.stopped = nullptr;  // cleanup of leftovers without a checkpoint
  EXPECT_TRUE(CheckOwnTriggersOnRecord(ctx).ok());
  EXPECT_TRUE(session.statements().empty());
}

TEST_F(StoppedRunChecksTest, CleanupRefusesWhenTheNewTableHoldsTheOnlyData) {
  StoppedRunContext ctx = Context();
  Status s = CheckTableKept(ctx);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "`shop`.`orders` is missing and `_orders_new` holds its data: rename it back first: "
            "RENAME TABLE `shop`.`_orders_new` TO `shop`.`orders`;");
  found.original = true;
  EXPECT_TRUE(CheckTableKept(ctx).ok());
  found.original = false;
  found.new_table = false;
  EXPECT_TRUE(CheckTableKept(ctx).ok());
}

TEST_F(StoppedRunChecksTest, CleanupRefusesWhileAForeignKeyReferencesTheNewTable) {
  const std::string query = ConstraintsReferencingTableQuery("shop", "_orders_new");
  session.Expect(query).Returns({});
  EXPECT_TRUE(CheckNoForeignKeyToNewTable(Context()).ok());
  session.Expect(query).Returns({{"shop", "items", "items_order"}});
  Status s = CheckNoForeignKeyToNewTable(Context());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "foreign key `items_order` of `shop`.`items` references `_orders_new` (the stopped "
            "run was repointing child foreign keys): point it back at `shop`.`orders` first, "
            "then run cleanup again");
  // Not knowing is not a yes: the server's error ends the cleanup before anything is dropped.
  session.Expect(query).Fails(ServerError(1205, "Lock wait timeout exceeded"));
  Status failed = CheckNoForeignKeyToNewTable(Context());
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.server_errno(), 1205u);
}

TEST_F(StoppedRunChecksTest, CleanupRefusesTriggersOnTheNewTableNoCheckpointKeeps) {
  config.mode = RunMode::kCleanup;
  found.original = true;
  const std::string query = TableTriggersQuery("shop", "_orders_new");
  session.Expect(query).Returns({});
  EXPECT_TRUE(CheckNewTableTriggersOnRecord(Context()).ok());
  session.Expect(query).Returns({{"orders_ai", "AFTER", "INSERT", "1", "root@%", "", "utf8mb4",
                                  "utf8mb4_general_ci", "utf8mb4_general_ci"}});
  session.Expect(TriggerBodyQuery("shop", "orders_ai", "utf8mb4")).Returns({{"534554"}});
  StoppedRunContext ctx = Context();
  ctx.stopped = nullptr;  // leftovers without a checkpoint
  Status s = CheckNewTableTriggersOnRecord(ctx);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "the new table `_orders_new` carries trigger `orders_ai` (a run was moving the "
            "table's own triggers), and no checkpoint keeps them: put the table's missing "
            "triggers back on `shop`.`orders` by hand (SHOW CREATE TRIGGER shows those on the "
            "new table), drop any from the new table, then run cleanup again");

  session.Expect(query).Fails(ServerError(2013));
  EXPECT_EQ(CheckNewTableTriggersOnRecord(Context()).code(), Code::kConnection);

  // Nothing is read: kept in the checkpoint, they go back from it; no new table, none on it.
  stopped.own_triggers = std::vector<Trigger>();
  EXPECT_TRUE(CheckNewTableTriggersOnRecord(Context()).ok());
  stopped.own_triggers.reset();
  found.new_table = false;
  EXPECT_TRUE(CheckNewTableTriggersOnRecord(Context()).ok());
}

TEST_F(StoppedRunChecksTest, CleanupChecksInOrder) {
  // The table renamed away: refused before the server is asked anything.
  config.mode = RunMode::kCleanup;
  Status s = RunStoppedRunChecks(Context(), StoppedRunStage::kBeforeCleanup);
  EXPECT_EQ(s.message().rfind("`shop`.`orders` is missing", 0), 0u) << s.message();
  EXPECT_TRUE(session.statements().empty());

  found.original = true;
  session.Expect(ConstraintsReferencingTableQuery("shop", "_orders_new")).Returns({});
  session.Expect(TableTriggersQuery("shop", "_orders_new")).Returns({});
  EXPECT_TRUE(RunStoppedRunChecks(Context(), StoppedRunStage::kBeforeCleanup).ok());
}

}  // namespace
}  // namespace shadowalter
