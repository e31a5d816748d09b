// --preserve-triggers: a table's own triggers keep firing through the copy, move to the new table
// at the swap with their name, definer, body, sql_mode, character set and order, and every
// application write fires them exactly once. Without the flag such a table is refused; a trigger
// the ALTER breaks, or a swap that fails, leaves the table and its triggers exactly as they were.
//
// The runs use --recursion-method none: the triggers don't depend on replicas, and these tests
// should not wait on a replica another test may have stopped.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "db/quote.h"
#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class TriggersTest : public SandboxTest {
 protected:
  // The model writer's table plus `n` (counted by a BEFORE UPDATE trigger) and `tag` (set by a
  // BEFORE INSERT trigger written under PIPES_AS_CONCAT: under any other sql_mode the body would
  // compute 0, not 'b4'). The AFTER triggers write every change to `audit`, two per event in a
  // chosen order; the DELETE one was created with character_set_client latin1.
  void CreateTableWithTriggers() {
    Exec(*db_,
         "CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
         "v VARCHAR(64) NOT NULL, n INT NOT NULL DEFAULT 0, tag VARCHAR(10) NOT NULL "
         "DEFAULT '', KEY (k)) ENGINE=InnoDB");
    Exec(*db_,
         "CREATE TABLE audit (seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
         "trg VARCHAR(10) NOT NULL, op CHAR(1) NOT NULL, old_id BIGINT NULL, "
         "new_id BIGINT NULL, k INT NULL, v VARCHAR(64) NULL, n INT NULL) ENGINE=InnoDB");
    auto other = ConnectPrimary(schema_);
    Exec(*other, "SET SESSION sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT')");
    Exec(*other, "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.tag = 'b' || '4'");
    Exec(*other, "SET SESSION sql_mode = DEFAULT");
    Exec(*db_, "CREATE TRIGGER t_bu BEFORE UPDATE ON t FOR EACH ROW SET NEW.n = OLD.n + 1");
    Exec(*db_,
         "CREATE TRIGGER t_ai1 AFTER INSERT ON t FOR EACH ROW INSERT INTO audit "
         "(trg, op, new_id, k, v, n) VALUES ('ai1', 'I', NEW.id, NEW.k, NEW.v, NEW.n)");
    Exec(*db_,
         "CREATE TRIGGER t_ai2 AFTER INSERT ON t FOR EACH ROW FOLLOWS t_ai1 INSERT INTO "
         "audit (trg, op, new_id, n) VALUES ('ai2', 'I', NEW.id, NEW.n)");
    Exec(*db_,
         "CREATE TRIGGER t_au1 AFTER UPDATE ON t FOR EACH ROW INSERT INTO audit "
         "(trg, op, old_id, new_id, k, v, n) VALUES ('au1', 'U', OLD.id, NEW.id, NEW.k, "
         "NEW.v, NEW.n)");
    Exec(*db_,
         "CREATE TRIGGER t_au2 AFTER UPDATE ON t FOR EACH ROW PRECEDES t_au1 INSERT INTO "
         "audit (trg, op, old_id, new_id, n) VALUES ('au2', 'U', OLD.id, NEW.id, NEW.n)");
    Exec(*other, "SET NAMES latin1");
    Exec(*other,
         "CREATE TRIGGER t_ad AFTER DELETE ON t FOR EACH ROW INSERT INTO audit "
         "(trg, op, old_id) VALUES ('ad\xe9', 'D', OLD.id)");
  }

  // What Leftovers() lists when nothing of ours is left: the table's own triggers.
  std::vector<std::string> OwnTriggersOnly() {
    std::vector<std::string> out;
    for (const char* t : {"t_bi", "t_ai1", "t_ai2", "t_bu", "t_au2", "t_au1", "t_ad"}) {
      out.push_back(std::string("trigger ") + t);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> SortedLeftovers() {
    std::vector<std::string> out = Leftovers(*db_, schema_);
    std::sort(out.begin(), out.end());
    return out;
  }

  // Every property of the table's own triggers that must survive, one line per trigger (ours,
  // sa_*, are left out: they exist only while a run is under way).
  std::vector<std::string> TriggerDefinitions() {
    return Rows(*db_,
                "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, "
                "EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE, "
                "CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION FROM "
                "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND "
                "TRIGGER_NAME NOT LIKE 'sa\\_%' ORDER BY TRIGGER_NAME");
  }

  // SHOW CREATE TRIGGER of each of the table's own triggers: sql_mode, the statement's definer and
  // body, character set, collation and database collation (its creation time left out). The part
  // naming the trigger, its timing, event and table is cut: moved triggers name the table
  // qualified, as their CREATE did; TriggerDefinitions() compares those.
  std::vector<std::string> ShowCreateTriggers() {
    std::vector<std::string> out;
    for (const char* t : {"t_ad", "t_ai1", "t_ai2", "t_au1", "t_au2", "t_bi", "t_bu"}) {
      if (Scalar(*db_,
                 "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = "
                 "DATABASE() AND TRIGGER_NAME = '" +
                     std::string(t) + "'") != "1") {
        out.push_back(std::string(t) + " is missing");
        continue;
      }
      std::vector<std::string> rows = Rows(*db_, std::string("SHOW CREATE TRIGGER ") + t);
      std::string line = rows.empty() ? std::string() : rows[0];
      line.erase(line.rfind('|'));
      const size_t from = line.find(" TRIGGER "), to = line.find(" FOR EACH ROW ");
      if (from != std::string::npos && to != std::string::npos && from < to) {
        line.erase(from, to - from);
      }
      out.push_back(line);
    }
    return out;
  }

  bool HasExtraColumn() {
    return Scalar(*db_,
                  "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'extra'") == "1";
  }

  // An insert, an update and a delete: each fires the table's triggers once, in order.
  void WriteAndExpectTriggersFire() {
    Exec(*db_, "INSERT INTO t (k, v) VALUES (1, 'after')");
    Exec(*db_, "UPDATE t SET v = 'after2' WHERE v = 'after'");
    Exec(*db_, "DELETE FROM t WHERE id = 5");
    EXPECT_EQ(Scalar(*db_, "SELECT CONCAT(tag, '/', n) FROM t WHERE v = 'after2'"), "b4/1");
    ExpectAuditReplaysToTable();
  }

  std::vector<std::string> Args(const std::string& alter, std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "--alter", alter,          "--execute", "--no-attempt-instant", "--recursion-method",
        "none",    "--chunk-size", "500"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return args;
  }

  // Replays the first AFTER trigger of each event from an empty table: the result must be the
  // table itself, and each step must fit (an insert of a new id, an update or delete of a present
  // one, each update counting n up by one). A missed write breaks the end state or the count, a
  // doubled one the fit.
  void ExpectAuditReplaysToTable() {
    struct Row {
      std::string k, v;
      int n = 0;
    };
    std::map<std::string, Row> replay;
    size_t misfits = 0;
    for (const std::string& line :
         Rows(*db_,
              "SELECT op, IFNULL(old_id, ''), IFNULL(new_id, ''), IFNULL(k, ''), "
              "IFNULL(v, ''), IFNULL(n, '') FROM audit WHERE trg IN ('ai1', 'au1', "
              "'ad\xc3\xa9') ORDER BY seq")) {
      std::vector<std::string> f;
      size_t start = 0;
      for (size_t bar = line.find('|'); bar != std::string::npos; bar = line.find('|', start)) {
        f.push_back(line.substr(start, bar - start));
        start = bar + 1;
      }
      f.push_back(line.substr(start));
      ASSERT_EQ(f.size(), 6u) << line;
      if (f[0] == "I") {
        misfits += replay.count(f[2]) != 0 || f[5] != "0";
        replay[f[2]] = Row{f[3], f[4], 0};
      } else if (f[0] == "U") {
        auto it = replay.find(f[1]);
        if (it == replay.end()) {
          ++misfits;
          continue;
        }
        const int n = it->second.n;
        misfits += std::stoi(f[5]) != n + 1;
        replay.erase(it);
        misfits += replay.count(f[2]) != 0;
        replay[f[2]] = Row{f[3], f[4], n + 1};
      } else {
        misfits += replay.erase(f[1]) != 1;
      }
    }
    EXPECT_EQ(misfits, 0u) << "audit rows that do not fit the table's history (doubled writes?)";
    std::vector<std::string> replayed;
    for (const auto& [id, r] : replay) {
      replayed.push_back(id + "|" + r.k + "|" + r.v + "|" + std::to_string(r.n));
    }
    EXPECT_EQ(Rows(*db_, "SELECT id, k, v, n FROM t ORDER BY CAST(id AS CHAR)"), replayed)
        << "replaying the audit does not give the table: some write fired no trigger";
    // The second trigger of each event fired exactly as often as the first, right after (INSERT:
    // FOLLOWS) or right before (UPDATE: PRECEDES) it.
    EXPECT_EQ(Scalar(*db_,
                     "SELECT COUNT(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1 AND "
                     "b.trg = 'ai2' AND b.new_id = a.new_id WHERE a.trg = 'ai1'"),
              Scalar(*db_, "SELECT COUNT(*) FROM audit WHERE trg = 'ai2'"));
    EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM audit WHERE trg = 'ai1'"),
              Scalar(*db_, "SELECT COUNT(*) FROM audit WHERE trg = 'ai2'"));
    EXPECT_EQ(Scalar(*db_,
                     "SELECT COUNT(*) FROM audit a JOIN audit b ON b.seq = a.seq - 1 AND "
                     "b.trg = 'au2' AND b.new_id = a.new_id AND b.n = a.n WHERE "
                     "a.trg = 'au1'"),
              Scalar(*db_, "SELECT COUNT(*) FROM audit WHERE trg = 'au2'"));
    EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM audit WHERE trg = 'au1'"),
              Scalar(*db_, "SELECT COUNT(*) FROM audit WHERE trg = 'au2'"));
  }
};

TEST_F(TriggersTest, PreservedThroughTheSwapUnderConcurrentWrites) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq % 1000, CONCAT('row', seq) FROM seq_1_to_20000");
  const std::vector<std::string> before = TriggerDefinitions();
  ASSERT_EQ(before.size(), 7u);

  ModelWriter writer(schema_, "t", 7);
  writer.LoadModel();
  writer.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RunResult r = RunShadowalter(Args("ADD COLUMN extra VARCHAR(20) NULL", {"--preserve-triggers"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writer.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(writer.committed(), 50u) << writer.last_error();
  EXPECT_EQ(writer.failed(), 0u) << writer.last_error();

  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'extra'"),
            "1");
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_TRUE(TableRows(*db_, "t") == writer.model());
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE tag <> 'b4'"), "0");
  ExpectAuditReplaysToTable();
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

TEST_F(TriggersTest, DryRunListsTheTriggersCarriedOver) {
  CreateTableWithTriggers();
  const std::vector<std::string> before = TriggerDefinitions();
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--dry-run", "--recursion-method",
                      "none", "--preserve-triggers", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"`t_bi` BEFORE INSERT", "`t_ai1` AFTER INSERT (order 1",
                           "`t_ai2` AFTER INSERT (order 2", "`t_au2` AFTER UPDATE (order 1"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
  }
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

TEST_F(TriggersTest, WithoutTheFlagATableWithTriggersIsRefused) {
  CreateTableWithTriggers();
  const std::vector<std::string> before = TriggerDefinitions();
  RunResult r = RunShadowalter(Args("ADD COLUMN extra INT NULL", {}));
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("--preserve-triggers"), std::string::npos) << r.err;
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

TEST_F(TriggersTest, ATriggerTheAlterBreaksIsRefusedBeforeTheCopy) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_1000");
  const std::vector<std::string> before = TriggerDefinitions();
  const std::string checksum = TableChecksum(*db_, "t");
  // t_bu, t_ai1 and t_au1 use NEW.n: without column n the server can't create it on the new table.
  RunResult r = RunShadowalter(Args("DROP COLUMN n", {"--preserve-triggers"}));
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("can't be recreated on the new table: Unknown column 'n' in 'NEW'"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

TEST_F(TriggersTest, AFailedSwapPutsTheTriggersBack) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_2000");
  const std::vector<std::string> before = TriggerDefinitions();
  // Hold the cut-over, then take the name the RENAME needs: it fails after the triggers were
  // moved to the new table, and everything must be undone.
  const std::string hold = "/tmp/shadowalter-triggers-hold-" + schema_;
  Background bg;
  ASSERT_TRUE(
      StartHeldAtCutover(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}), hold, bg));
  Exec(*db_, "CREATE TABLE _t_old (x INT)");
  std::remove(hold.c_str());
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("appeared during the run"), std::string::npos) << r.err;
  EXPECT_EQ(TriggerDefinitions(), before);
  Exec(*db_, "DROP TABLE _t_old");
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
  // The triggers work on the original as before.
  Exec(*db_, "INSERT INTO t (k, v) VALUES (1, 'after')");
  EXPECT_EQ(Scalar(*db_, "SELECT tag FROM t WHERE v = 'after'"), "b4");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM audit a JOIN t ON t.id = a.new_id WHERE "
                   "t.v = 'after'"),
            "2");
}

TEST_F(TriggersTest, TriggersChangedDuringTheRunAbortTheSwap) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_2000");
  const std::string hold = "/tmp/shadowalter-triggers-hold-" + schema_;
  Background bg;
  ASSERT_TRUE(
      StartHeldAtCutover(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}), hold, bg));
  // A trigger replaced behind our back: carrying over the old one would undo the change.
  Exec(*db_, "DROP TRIGGER t_bu");
  Exec(*db_, "CREATE TRIGGER t_bu BEFORE UPDATE ON t FOR EACH ROW SET NEW.n = OLD.n + 2");
  const std::vector<std::string> changed = TriggerDefinitions();
  std::remove(hold.c_str());
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("the table's own triggers changed during the run"), std::string::npos)
      << r.err;
  EXPECT_EQ(TriggerDefinitions(), changed);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

// A checkpoint table made by an earlier build has no column for the table's own triggers. It is
// read all the same, and the resumed run saves them (adding the column) before its cut-over
// drops any: a crash inside that cut-over is then recovered like any other.
TEST_F(TriggersTest, ACheckpointOfAnEarlierBuildIsResumedAndSavesTheTriggers) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_2000");
  const std::vector<std::string> before = TriggerDefinitions();
  const std::string dsn = PrimaryDsn(schema_, "t");
  RunResult killed = RunShadowalter(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}),
                                    {{"SHADOWALTER_CRASH_AT", "before_swap"}});
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  Exec(*db_, "ALTER TABLE _t_state DROP COLUMN own_triggers");
  RunResult status = RunShadowalter({"status", dsn});
  ASSERT_EQ(status.exit_code, 4) << status.err;
  EXPECT_EQ(status.out.find("own triggers:"), std::string::npos) << status.out;
  RunResult resumed = RunShadowalter({"resume", "--recursion-method", "none", dsn},
                                     {{"SHADOWALTER_CRASH_AT", "own_trigger_dropped:3"}});
  ASSERT_EQ(resumed.exit_code, 128 + SIGKILL) << resumed.err;
  EXPECT_NE(TriggerDefinitions(), before);
  RunResult cleaned = RunShadowalter({"cleanup", dsn});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

// The cut-over always leaves the first triggers of each timing and event on the table, so putting
// the others back appends them. A trigger missing before one still there (dropped by hand after
// the crash) must go back in front of it: cleanup creates it PRECEDES that one.
TEST_F(TriggersTest, CleanupPutsAMissingTriggerBackInFrontOfTheOnesStillThere) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_2000");
  const std::vector<std::string> before = TriggerDefinitions();
  const std::vector<std::string> shown = ShowCreateTriggers();
  RunResult killed = RunShadowalter(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}),
                                    {{"SHADOWALTER_CRASH_AT", "own_trigger_dropped:1"}});
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  Exec(*db_, "DROP TRIGGER t_ai1");  // first of AFTER INSERT; t_ai2 stays
  Exec(*db_, "DROP TRIGGER t_au2");  // first of AFTER UPDATE; t_au1 stays
  RunResult cleaned = RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(ShowCreateTriggers(), shown);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
  WriteAndExpectTriggersFire();
}

// An earlier build kept the triggers only in memory: a run of it that died inside the cut-over
// can't be recovered from its checkpoint. Both commands refuse, and change nothing.
TEST_F(TriggersTest, AnEarlierBuildsRunThatDiedInsideTheCutoverIsRefused) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_2000");
  const std::string dsn = PrimaryDsn(schema_, "t");
  RunResult killed = RunShadowalter(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}),
                                    {{"SHADOWALTER_CRASH_AT", "own_trigger_recreated:2"}});
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  Exec(*db_, "ALTER TABLE _t_state DROP COLUMN own_triggers");
  const std::vector<std::string> left = TriggerDefinitions();
  RunResult resumed = RunShadowalter({"resume", "--recursion-method", "none", dsn});
  EXPECT_EQ(resumed.exit_code, 5) << resumed.err;
  EXPECT_NE(resumed.err.find("does not keep the table's own triggers"), std::string::npos)
      << resumed.err;
  RunResult cleaned = RunShadowalter({"cleanup", dsn});
  EXPECT_EQ(cleaned.exit_code, 5) << cleaned.err;
  EXPECT_NE(cleaned.err.find("does not keep the table's own triggers"), std::string::npos)
      << cleaned.err;
  EXPECT_EQ(TriggerDefinitions(), left);
  EXPECT_TRUE(TableExists(*db_, "_t_new"));
}

// The connections die inside the cut-over, after the table's triggers were taken off: the run
// can't undo that, parks, and prints the statements that put them back. Run in that order, they
// do.
TEST_F(TriggersTest, ALostConnectionInsideTheCutoverParksAndPrintsTheRestore) {
  CreateTableWithTriggers();
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq, 'x' FROM seq_1_to_2000");
  const std::vector<std::string> before = TriggerDefinitions();
  const std::vector<std::string> shown = ShowCreateTriggers();
  // The delay holds the run right after the lock hand-over, with every trigger off the table
  // (the child inherits the variable).
  setenv("SHADOWALTER_DELAY_AT", "trigger_lock_handed_over:5000", 1);
  Background bg = StartShadowalter(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}));
  unsetenv("SHADOWALTER_DELAY_AT");
  auto admin = ConnectPrimary();
  const std::string off_the_table =
      "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + schema_ + "'";
  ASSERT_TRUE(WaitUntil([&] { return Scalar(*admin, off_the_table) == "0"; }, 120000));
  // Every connection of the run (each works in the test's schema), not ours.
  for (const std::string& id :
       Rows(*admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + schema_ +
                        "' AND ID <> " + Scalar(*db_, "SELECT CONNECTION_ID()"))) {
    (void)admin->Execute("KILL CONNECTION " + id);
  }
  RunResult r = WaitShadowalter(bg);
  ASSERT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("may be missing from"), std::string::npos) << r.err;
  std::vector<std::string> restore;
  bool listed = false;
  for (const std::string& line : ErrorLines(r.err)) {
    const size_t at = line.find(" shadowalter error:   ");
    if (listed && at != std::string::npos) {
      std::string sql = line.substr(at + 22);
      if (!sql.empty() && sql.back() == ';') sql.pop_back();
      restore.push_back(sql);
    }
    listed = listed || line.find("by hand, run, in this order:") != std::string::npos;
  }
  ASSERT_EQ(restore.size(), 7u + 7u * 2u) << r.err;
  auto by_hand = ConnectPrimary(schema_);
  for (const std::string& sql : restore) Exec(*by_hand, sql);
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(ShowCreateTriggers(), shown);
  // The checkpoint is still there: cleanup removes the run, with the triggers left as they are.
  RunResult cleaned = RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_EQ(TriggerDefinitions(), before);
  EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
}

// A run killed (SIGKILL) at each step of the trigger cut-over. The table's own triggers were saved
// in the checkpoint before any was dropped: `cleanup` puts them back on the table (the original
// before the RENAME, the new table after it) exactly as they were, and `resume` finishes the
// ALTER with them on the final table.
struct CrashAt {
  const char* point;
  bool own_triggers_missing;  // at this point some of the table's own triggers are off the table
  bool swapped;               // the RENAME happened
};

class TriggerCrashTest : public TriggersTest, public ::testing::WithParamInterface<CrashAt> {
 protected:
  void SetUp() override {
    TriggersTest::SetUp();
    CreateTableWithTriggers();
    Exec(*db_, "INSERT INTO t (k, v) SELECT seq % 100, CONCAT('row', seq) FROM seq_1_to_2000");
    definitions_ = TriggerDefinitions();
    shown_ = ShowCreateTriggers();
    rows_ = Rows(*db_, "SELECT id, k, v, n, tag FROM t ORDER BY id");
    ASSERT_EQ(definitions_.size(), 7u);
  }

  void Crash() {
    RunResult killed = RunShadowalter(Args("ADD COLUMN extra INT NULL", {"--preserve-triggers"}),
                                      {{"SHADOWALTER_CRASH_AT", GetParam().point}});
    ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
    // The crash left the table as the point says.
    EXPECT_EQ(TriggerDefinitions() != definitions_, GetParam().own_triggers_missing);
    RunResult status = RunShadowalter({"status", PrimaryDsn(schema_, "t")});
    ASSERT_EQ(status.exit_code, 4) << status.err;
    EXPECT_NE(status.out.find("own triggers:  7 saved in the checkpoint"), std::string::npos)
        << status.out;
    EXPECT_NE(status.out.find("`t_ai2` AFTER INSERT #2 (definer "), std::string::npos)
        << status.out;
    EXPECT_EQ(status.out.find("MISSING from the table") != std::string::npos,
              GetParam().own_triggers_missing)
        << status.out;
  }

  void ExpectTriggersAsBefore() {
    EXPECT_EQ(TriggerDefinitions(), definitions_);
    EXPECT_EQ(ShowCreateTriggers(), shown_);
    EXPECT_EQ(SortedLeftovers(), OwnTriggersOnly());
  }

  std::vector<std::string> definitions_, shown_, rows_;
};

TEST_P(TriggerCrashTest, Cleanup) {
  ASSERT_NO_FATAL_FAILURE(Crash());
  RunResult dry = RunShadowalter({"cleanup", "--dry-run", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out.find("CREATE DEFINER=") != std::string::npos, GetParam().own_triggers_missing)
      << dry.out;
  RunResult cleaned = RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  ExpectTriggersAsBefore();
  EXPECT_EQ(HasExtraColumn(), GetParam().swapped);
  EXPECT_EQ(Rows(*db_, "SELECT id, k, v, n, tag FROM t ORDER BY id"), rows_);
  // Idempotent: the second finds nothing, and changes nothing.
  RunResult again = RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing to clean up"), std::string::npos) << again.err;
  ExpectTriggersAsBefore();
  WriteAndExpectTriggersFire();
}

TEST_P(TriggerCrashTest, Resume) {
  ASSERT_NO_FATAL_FAILURE(Crash());
  RunResult resumed = RunShadowalter(
      {"resume", "--recursion-method", "none", "--chunk-size", "500", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(HasExtraColumn());
  ExpectTriggersAsBefore();
  EXPECT_EQ(Rows(*db_, "SELECT id, k, v, n, tag FROM t ORDER BY id"), rows_);
  WriteAndExpectTriggersFire();
}

INSTANTIATE_TEST_SUITE_P(At, TriggerCrashTest,
                         ::testing::Values(CrashAt{"before_swap", false, false},
                                           CrashAt{"mirror_triggers_dropped", false, false},
                                           CrashAt{"own_trigger_dropped:1", true, false},
                                           CrashAt{"own_trigger_dropped:4", true, false},
                                           CrashAt{"own_trigger_dropped:7", true, false},
                                           CrashAt{"trigger_lock_handed_over", true, false},
                                           CrashAt{"own_trigger_recreated:1", true, false},
                                           CrashAt{"own_trigger_recreated:4", true, false},
                                           CrashAt{"own_trigger_recreated:7", true, false},
                                           CrashAt{"after_swap", false, true}),
                         [](const ::testing::TestParamInfo<CrashAt>& info) {
                           std::string name = info.param.point;
                           for (char& c : name) {
                             if (c == ':') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace shadowalter::testing
