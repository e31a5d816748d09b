// --revertible, `revert` and `finish` (migration/revertible.h, migration/revert_commands.h):
// under a concurrent writer, swap, writes, revert, writes lose nothing either way and the table
// gets its original definition back; a revert that could lose a write is refused; a crash of the
// tool at each step is recovered by `resume`, `revert` or `finish`; `cleanup` and a new run
// never drop the kept old table.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "db/quote.h"
#include "model_writer.h"
#include "sandbox.h"
#include "state/checkpoint.h"

namespace shadowalter::testing {
namespace {

constexpr int kSigkillExit = 128 + SIGKILL;
constexpr int kRefusedExit = 5;
constexpr int kRevertibleExit = 8;

class RevertibleTest : public SandboxTest {
 protected:
  // Widens v, drops pad (which has a DEFAULT) and adds a column: each is taken backwards by the
  // reverse triggers.
  std::vector<std::string> RunArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--alter",
        "ADD COLUMN extra INT NULL, DROP COLUMN pad, MODIFY v VARCHAR(100) NOT NULL",
        "--execute",
        "--revertible",
        "--chunk-size",
        "300"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return args;
  }
  std::vector<std::string> Command(const std::string& word, std::vector<std::string> extra = {}) {
    return CommandArgs(word, schema_, std::move(extra));
  }
  std::string Definition(const std::string& table) {
    const auto rows = Rows(*db_, "SHOW CREATE TABLE " + QuoteIdentifier(table));
    return rows.empty() ? "" : NormalizeCreateTable(rows[0].substr(rows[0].find('|') + 1));
  }
  bool HasExtraColumn() { return HasColumn(*db_, "t", "extra"); }
  void Pause(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
  // Swaps revertibly under no load; the original's definition is returned.
  std::string SwapRevertibly(int rows = 2000) {
    CreateModelTable(*db_, rows);
    const std::string original = Definition("t");
    RunResult run = RunShadowalter(RunArgs());
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.err.find("revertible: `shadowalter revert"), std::string::npos) << run.err;
    return original;
  }
};

TEST_F(RevertibleTest, SwapWritesRevertWritesLosesNothingAndRestoresTheDefinition) {
  CreateModelTable(*db_, 5000);
  const std::string original = Definition("t");
  ModelWriter writer(schema_, "t", 21);
  writer.LoadModel();
  writer.Start();
  Pause(100);
  RunResult run = RunShadowalter(RunArgs({"--output", "json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\"revertible\":true"), std::string::npos) << run.out;
  EXPECT_TRUE(HasExtraColumn());
  EXPECT_TRUE(TableExists(*db_, "_t_old"));

  RunResult status = RunShadowalter(Command("status", {"--output", "json"}));
  EXPECT_EQ(status.exit_code, kRevertibleExit) << status.err;
  EXPECT_NE(status.out.find("\"verdict\":\"revertible\""), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("\"phase\":\"revertible\""), std::string::npos) << status.out;

  // Writes after the swap reach the old table through the reverse triggers.
  const uint64_t at_swap = writer.committed();
  Pause(700);
  EXPECT_GT(writer.committed(), at_swap) << writer.last_error();

  RunResult dry = RunShadowalter(Command("revert", {"--dry-run"}));
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("RENAME TABLE"), std::string::npos) << dry.out;
  EXPECT_TRUE(HasExtraColumn()) << "a dry run changed nothing";

  RunResult reverted = RunShadowalter(Command("revert", {"--output", "json"}));
  ASSERT_EQ(reverted.exit_code, 0) << reverted.err;
  EXPECT_NE(reverted.out.find("\"event\":\"done\""), std::string::npos) << reverted.out;
  EXPECT_NE(reverted.out.find("\"status\":\"success\""), std::string::npos) << reverted.out;
  EXPECT_NE(reverted.out.find("\"revertible\":false"), std::string::npos) << reverted.out;
  // Writes after the revert land in the original-definition table.
  const uint64_t at_revert = writer.committed();
  Pause(500);
  writer.Stop();
  EXPECT_GT(writer.committed(), at_revert) << writer.last_error();
  EXPECT_EQ(writer.failed(), 0u) << writer.last_error();

  EXPECT_EQ(Definition("t"), original);
  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_EQ(rows.size(), model.size());
  EXPECT_TRUE(rows == model) << "the reverted table differs from what the writer committed";
  // The dropped column came back with its default on rows inserted since the swap.
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE pad <> 'p'"), "0");
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
  RunResult after = RunShadowalter(Command("status"));
  EXPECT_EQ(after.exit_code, 0) << after.out;
}

TEST_F(RevertibleTest, FinishKeepsTheNewTableWithEveryWrite) {
  CreateModelTable(*db_, 4000);
  ModelWriter writer(schema_, "t", 22);
  writer.LoadModel();
  writer.Start();
  Pause(100);
  RunResult run = RunShadowalter(RunArgs());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  Pause(400);
  RunResult finished = RunShadowalter(Command("finish"));
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  Pause(300);
  writer.Stop();
  EXPECT_EQ(writer.failed(), 0u) << writer.last_error();
  EXPECT_TRUE(HasExtraColumn());
  const auto model = writer.model();
  EXPECT_TRUE(TableRows(*db_, "t") == model) << "the table differs from what the writer committed";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
  // Idempotent: nothing left is not an error.
  RunResult again = RunShadowalter(Command("finish"));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  RunResult revert = RunShadowalter(Command("revert"));
  EXPECT_EQ(revert.exit_code, kRefusedExit) << revert.err;
}

TEST_F(RevertibleTest, AWriteTheOldTableRefusesBlocksTheRevert) {
  SwapRevertibly();
  // Fits the new VARCHAR(100), not the old VARCHAR(64): the application's write stands.
  Exec(*db_, "INSERT INTO t (k, v) VALUES (1, REPEAT('x', 80))");
  RunResult revert = RunShadowalter(Command("revert"));
  EXPECT_EQ(revert.exit_code, kRefusedExit) << revert.err;
  EXPECT_NE(revert.err.find("refused by the old table"), std::string::npos) << revert.err;
  EXPECT_TRUE(HasExtraColumn()) << "the refused revert changed nothing";
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                   "TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't'"),
            "3");
  RunResult finished = RunShadowalter(Command("finish"));
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE v = REPEAT('x', 80)"), "1");
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(RevertibleTest, ATruncateSinceTheSwapBlocksTheRevert) {
  SwapRevertibly();
  // TRUNCATE fires no trigger: the old table still holds the rows, which a revert would bring
  // back.
  Exec(*db_, "TRUNCATE TABLE t");
  RunResult revert = RunShadowalter(Command("revert"));
  EXPECT_EQ(revert.exit_code, kRefusedExit) << revert.err;
  EXPECT_NE(revert.err.find("truncated"), std::string::npos) << revert.err;
  EXPECT_TRUE(HasExtraColumn());
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "0");
}

TEST_F(RevertibleTest, AReverseTriggerMadeAgainBlocksTheRevert) {
  SwapRevertibly();
  const auto create = Rows(*db_, "SHOW CREATE TRIGGER sa_t_rdel");
  ASSERT_FALSE(create.empty());
  Exec(*db_, "DROP TRIGGER sa_t_rdel");
  Exec(*db_, "DELETE FROM t WHERE id = 1");  // missed by the old table
  RunResult revert = RunShadowalter(Command("revert"));
  EXPECT_EQ(revert.exit_code, kRefusedExit) << revert.err;
  EXPECT_NE(revert.err.find("reverse triggers"), std::string::npos) << revert.err;
  EXPECT_TRUE(HasExtraColumn());
}

TEST_F(RevertibleTest, AReaderOfTheOldTableDelaysTheRevertWithoutEndingIt) {
  CreateModelTable(*db_, 3000);
  const std::string original = Definition("t");
  ModelWriter writer(schema_, "t", 24);
  writer.LoadModel();
  writer.Start();
  RunResult run = RunShadowalter(RunArgs());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // A dump of the old table: its open transaction holds the old table's metadata lock.
  std::unique_ptr<Session> reader = ConnectPrimary(schema_);
  ASSERT_TRUE(reader);
  Exec(*reader, "START TRANSACTION");
  Exec(*reader, "SELECT COUNT(*) FROM _t_old");
  RunResult held = RunShadowalter(Command("revert", {"--lock-wait-timeout", "1"}));
  EXPECT_EQ(held.exit_code, 1) << held.err;
  EXPECT_NE(held.err.find("still revertible"), std::string::npos) << held.err;
  EXPECT_TRUE(HasExtraColumn());
  Pause(300);  // the reverse triggers are back: these writes reach the old table too
  Exec(*reader, "COMMIT");
  RunResult reverted = RunShadowalter(Command("revert"));
  ASSERT_EQ(reverted.exit_code, 0) << reverted.err;
  Pause(200);
  writer.Stop();
  EXPECT_EQ(writer.failed(), 0u) << writer.last_error();
  EXPECT_EQ(Definition("t"), original);
  EXPECT_TRUE(TableRows(*db_, "t") == writer.model())
      << "the reverted table differs from what the writer committed";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(RevertibleTest, CleanupAndANewRunLeaveTheOldTableAlone) {
  SwapRevertibly();
  RunResult cleanup = RunShadowalter(Command("cleanup"));
  EXPECT_EQ(cleanup.exit_code, kRefusedExit) << cleanup.err;
  EXPECT_NE(cleanup.err.find("revert"), std::string::npos) << cleanup.err;
  RunResult again = RunShadowalter(
      {"--alter", "ADD COLUMN other INT NULL", "--execute", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(again.exit_code, kRefusedExit) << again.err;
  RunResult resume = RunShadowalter(Command("resume"));
  EXPECT_EQ(resume.exit_code, kRefusedExit) << resume.err;
  EXPECT_TRUE(TableExists(*db_, "_t_old"));
  RunResult reverted = RunShadowalter(Command("revert"));
  EXPECT_EQ(reverted.exit_code, 0) << reverted.err;
  EXPECT_FALSE(HasExtraColumn());
}

TEST_F(RevertibleTest, TheDryRunShowsTheReverseTriggersAndTheRevert) {
  CreateModelTable(*db_, 100);
  std::vector<std::string> args = RunArgs();
  for (std::string& a : args) {
    if (a == "--execute") a = "--dry-run";
  }
  RunResult plan = RunShadowalter(args);
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  for (const char* expected :
       {"`sa_t_rins` AFTER INSERT ON", "`sa_t_rupd` AFTER UPDATE ON", "`sa_t_rdel` AFTER DELETE ON",
        "-- shadowalter revert", "-- shadowalter finish"}) {
    EXPECT_NE(plan.out.find(expected), std::string::npos) << expected << "\n" << plan.out;
  }
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(RevertibleTest, ATypeChangeAValueCouldComeBackChangedFromIsRefused) {
  CreateModelTable(*db_, 10);
  // CHAR strips the trailing spaces a VARCHAR keeps: silently, so no refusal would record it.
  RunResult run = RunShadowalter({"--alter", "MODIFY pad VARCHAR(100) NOT NULL DEFAULT 'p'",
                                  "--execute", "--revertible", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(run.exit_code, kRefusedExit) << run.err;
  EXPECT_NE(run.err.find("column pad changes from char(100) to varchar(100)"), std::string::npos)
      << run.err;
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(RevertibleTest, ATableWithForeignKeysIsRefused) {
  CreateModelTable(*db_, 10);
  Exec(*db_,
       "CREATE TABLE child (id INT PRIMARY KEY, t_id BIGINT, FOREIGN KEY (t_id) "
       "REFERENCES t (id))");
  RunResult run = RunShadowalter(RunArgs({"--alter-foreign-keys-method", "rebuild_constraints"}));
  EXPECT_EQ(run.exit_code, kRefusedExit) << run.err;
  EXPECT_NE(run.err.find("foreign keys"), std::string::npos) << run.err;
  EXPECT_FALSE(HasExtraColumn());
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

// A crash of the tool (SIGKILL, as kill -9) at each step, under a concurrent writer: what
// `status` says next recovers it, and the table ends with exactly the rows the writer committed.
struct CrashCase {
  const char* name;
  const char* point;    // CrashPoint name
  const char* command;  // what the crash hits: "" the run, or `revert` / `finish` after it
  // What recovers it, in order; the last one decides the table's definition.
  std::vector<std::string> recovery;
  bool reverted_at_end;
};

void PrintTo(const CrashCase& c, std::ostream* os) { *os << c.name; }

class RevertibleCrashTest : public RevertibleTest,
                            public ::testing::WithParamInterface<CrashCase> {};

TEST_P(RevertibleCrashTest, IsRecovered) {
  const CrashCase& c = GetParam();
  CreateModelTable(*db_, 3000);
  const std::string original = Definition("t");
  ModelWriter writer(schema_, "t", 23);
  writer.LoadModel();
  writer.Start();
  Pause(100);
  if (*c.command != '\0') {
    RunResult run = RunShadowalter(RunArgs());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    Pause(200);
    RunResult killed = RunShadowalter(Command(c.command), {{"SHADOWALTER_CRASH_AT", c.point}});
    ASSERT_EQ(killed.exit_code, kSigkillExit) << killed.err;
  } else {
    RunResult killed = RunShadowalter(RunArgs(), {{"SHADOWALTER_CRASH_AT", c.point}});
    ASSERT_EQ(killed.exit_code, kSigkillExit) << killed.err;
  }
  Pause(200);
  RunResult status = RunShadowalter(Command("status"));
  EXPECT_NE(status.out.find("next:"), std::string::npos) << status.out;
  for (const std::string& step : c.recovery) {
    RunResult r = RunShadowalter(Command(step));
    ASSERT_EQ(r.exit_code, 0) << step << "\n" << r.err << "\nstatus was:\n" << status.out;
    Pause(150);
  }
  Pause(200);
  writer.Stop();
  EXPECT_EQ(writer.failed(), 0u) << writer.last_error();
  if (c.reverted_at_end) {
    EXPECT_EQ(Definition("t"), original);
  } else {
    EXPECT_TRUE(HasExtraColumn());
  }
  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_EQ(rows.size(), model.size());
  EXPECT_TRUE(rows == model) << "the table differs from what the writer committed";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Steps, RevertibleCrashTest,
    ::testing::Values(
        // Under the swap's lock, the reverse triggers made, before the RENAME: the copy starts
        // afresh (writes since never reached the new table), and ends revertible; or cleanup
        // removes it all, reverse triggers included.
        CrashCase{"BeforeTheRename", "reverse_trigger_created:3", "", {"resume", "finish"}, false},
        CrashCase{"BeforeTheRenameCleanedUp", "reverse_trigger_created:3", "", {"cleanup"}, true},
        // After the RENAME, before the revertible state is on record.
        CrashCase{"AfterTheSwap", "after_swap", "", {"resume", "revert"}, true},
        CrashCase{
            "BeforeRevertibleIsRecorded", "before_revertible", "", {"resume", "revert"}, true},
        CrashCase{"AfterTheSwapFinished", "after_swap", "", {"finish"}, false},
        // `revert` killed before touching anything: it runs again.
        CrashCase{"RevertBeforeTheLock", "reverting", "revert", {"revert"}, true},
        // `revert` killed once the reverse triggers were dropped under its lock: the old table
        // can no longer be trusted, finish keeps the new table.
        CrashCase{"RevertAfterDroppingTheReverseTriggers",
                  "mirror_triggers_dropped",
                  "revert",
                  {"finish"},
                  false},
        // `revert` killed after its RENAME, and after dropping the new table: run again, it
        // completes.
        CrashCase{"RevertAfterTheRename", "reverted", "revert", {"revert"}, true},
        CrashCase{"RevertAfterDroppingTheNewTable", "end_step:1", "revert", {"revert"}, true},
        // `finish` killed after dropping the old table: run again, it completes.
        CrashCase{"FinishAfterDroppingTheOldTable", "end_step:4", "finish", {"finish"}, false}),
    [](const ::testing::TestParamInfo<CrashCase>& info) { return info.param.name; });

}  // namespace
}  // namespace shadowalter::testing
