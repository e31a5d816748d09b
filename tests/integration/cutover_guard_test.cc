// What happens between the verification and the swap (docs/design.md, "Between the verification
// and the swap"; docs/guarantees.md): a write the new table refuses, someone else's DDL, a dropped
// trigger. Each must stop the swap, leave the original as the application left it, and clean up;
// a write that was rolled back or undone before a verification must not.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class CutoverGuardTest : public SandboxTest {
 protected:
  // t (id PK, c INT): c is unique in the data, so ADD UNIQUE KEY (c) passes preflight.
  void MakeTable() {
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, c INT NOT NULL, v VARCHAR(20))");
    Exec(*db_, "INSERT INTO t SELECT seq, seq, 'x' FROM seq_1_to_3000");
  }

  // Starts the run held at the cut-over by a flag file; fails the test when it never gets there.
  Background StartHeld(std::vector<std::string> extra) {
    flag_ = "/tmp/sa_guard_" + schema_;
    std::vector<std::string> args = {"--alter", alter_, "--execute", "--no-attempt-instant"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    Background bg;
    held_ = StartHeldAtCutover(args, flag_, bg);
    return bg;
  }

  RunResult Release(const Background& bg) {
    std::remove(flag_.c_str());
    return WaitShadowalter(bg);
  }

  // Nothing of the run is left: no new table, no refusal log, no trigger, no checkpoint.
  void ExpectCleanedUp() {
    for (const char* table : {"_t_new", "_t_old", "_t_refused", "_t_state"}) {
      EXPECT_FALSE(TableExists(*db_, table)) << table << " left behind";
    }
    EXPECT_EQ(Scalar(*db_,
                     "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                     "TRIGGER_SCHEMA = DATABASE()"),
              "0");
  }

  bool HasUniqueKeyOnC() {
    return Scalar(*db_,
                  "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'uk_c'") != "0";
  }

  std::string alter_ = "ADD UNIQUE KEY uk_c (c)";
  std::string flag_;
  bool held_ = false;
};

// The case: a duplicate of c inserted while the swap waits is legal on the original and
// refused by the new table. It must never be swapped away.
TEST_F(CutoverGuardTest, RefusedWriteDuringAPostponedCutoverStopsTheSwap) {
  MakeTable();
  Background bg = StartHeld({});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "INSERT INTO t VALUES (5001, 7, 'dup')");
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("5001"), std::string::npos) << "the lost row is not named:\n" << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 5001"), "dup");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3001");
  EXPECT_FALSE(HasUniqueKeyOnC());
  ExpectCleanedUp();
}

// --no-verify does not turn the guard off: the refusal log alone stops the swap.
TEST_F(CutoverGuardTest, RefusedWriteStopsTheSwapWithoutVerification) {
  MakeTable();
  Background bg = StartHeld({"--no-verify"});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "UPDATE t SET c = 8 WHERE id = 9");  // c = 8 is row 8's
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("refused by the new table"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("update of key ('9')"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1062"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT c FROM t WHERE id = 9"), "8");
  EXPECT_FALSE(HasUniqueKeyOnC());
  ExpectCleanedUp();
}

// A refused write made after the (last) verification and before the swap, with no postponed
// cut-over: only the guard under the swap's lock can see it.
TEST_F(CutoverGuardTest, RefusedWriteAfterTheVerificationStopsTheSwap) {
  MakeTable();
  setenv("SHADOWALTER_DELAY_AT", "before_swap:3000", 1);
  Background bg = StartShadowalter(
      {"--alter", alter_, "--execute", "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  unsetenv("SHADOWALTER_DELAY_AT");
  ASSERT_TRUE(WaitUntil([&] {
    return ReadFileText(bg.err_path).find("verified:") != std::string::npos;
  })) << WaitShadowalter(bg).err;
  Exec(*db_, "INSERT INTO t VALUES (5001, 7, 'dup')");
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("refused by the new table"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("insert of key ('5001')"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 5001"), "dup");
  EXPECT_FALSE(HasUniqueKeyOnC());
  ExpectCleanedUp();
}

// A refused write whose transaction rolled back never happened: no reason to stop.
TEST_F(CutoverGuardTest, ARolledBackRefusedWriteDoesNotStopTheSwap) {
  MakeTable();
  Background bg = StartHeld({"--no-verify"});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "BEGIN");
  Exec(*db_, "INSERT INTO t VALUES (5001, 7, 'dup')");
  Exec(*db_, "ROLLBACK");
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(HasUniqueKeyOnC());
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
  ExpectCleanedUp();
}

// A refused write undone before a verification (the row deleted again) is judged by that
// verification, which finds the tables equal: the swap goes ahead. Without a verification after
// it, the run can't know, and refuses.
TEST_F(CutoverGuardTest, ARefusedWriteUndoneBeforeTheVerificationIsJudgedByIt) {
  MakeTable();
  Background bg = StartHeld({});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "INSERT INTO t VALUES (5001, 7, 'dup')");
  Exec(*db_, "DELETE FROM t WHERE id = 5001");
  RunResult r = Release(bg);  // verifies again after the wait
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("verifying again"), std::string::npos) << r.err;
  EXPECT_TRUE(HasUniqueKeyOnC());
  ExpectCleanedUp();
}

TEST_F(CutoverGuardTest, ARefusedWriteUndoneWithoutVerificationStillStopsTheSwap) {
  MakeTable();
  Background bg = StartHeld({"--no-verify"});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "INSERT INTO t VALUES (5001, 7, 'dup')");
  Exec(*db_, "DELETE FROM t WHERE id = 5001");
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("refused by the new table"), std::string::npos) << r.err;
  EXPECT_FALSE(HasUniqueKeyOnC());
  ExpectCleanedUp();
}

// Someone else's ALTER while the swap waits: the RENAME would carry the original, with the new
// column and its data, away to the old table (and drop it).
TEST_F(CutoverGuardTest, AConcurrentAlterOfTheOriginalIsNotSwappedAway) {
  MakeTable();
  alter_ = "ADD COLUMN w INT";
  Background bg = StartHeld({});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "ALTER TABLE t ADD COLUMN extra INT NOT NULL DEFAULT 7");
  Exec(*db_, "UPDATE t SET extra = 8 WHERE id = 1");
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("changed by someone else's DDL"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("`extra`"), std::string::npos) << "the change is not named:\n" << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT extra FROM t WHERE id = 1"), "8");
  EXPECT_EQ(Scalar(*db_, "SELECT SUM(extra) FROM t"), std::to_string(8 + 7 * 2999));
  ExpectCleanedUp();
}

// A mirror trigger dropped behind the run's back: writes since then never reached the new table.
TEST_F(CutoverGuardTest, ADroppedMirrorTriggerStopsTheSwap) {
  MakeTable();
  alter_ = "ADD COLUMN w INT";
  Background bg = StartHeld({"--no-verify"});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  Exec(*db_, "DROP TRIGGER sa_t_upd");
  Exec(*db_, "UPDATE t SET v = 'late' WHERE id = 3");
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("trigger of the run was dropped"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 3"), "late");
  ExpectCleanedUp();
}

// The same trigger made again, word for word, after a write that it missed: its text is what it
// was, its creation time is not, and the swap refuses.
TEST_F(CutoverGuardTest, AMirrorTriggerDroppedAndMadeAgainStopsTheSwap) {
  MakeTable();
  alter_ = "ADD COLUMN w INT";
  Background bg = StartHeld({"--no-verify"});
  ASSERT_TRUE(held_) << WaitShadowalter(bg).err;
  auto create = db_->Query("SHOW CREATE TRIGGER sa_t_upd");
  ASSERT_TRUE(create.ok() && !create->empty()) << create.status().message();
  const std::string statement = create->Cell(0, "SQL Original Statement")->value_or("");
  ASSERT_FALSE(statement.empty());
  Exec(*db_, "DROP TRIGGER sa_t_upd");
  Exec(*db_, "UPDATE t SET v = 'missed' WHERE id = 3");
  Exec(*db_, statement);
  RunResult r = Release(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("was dropped and created again during the run"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 3"), "missed");
  ExpectCleanedUp();
}

}  // namespace
}  // namespace shadowalter::testing
