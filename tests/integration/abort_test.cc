// Every abort path leaves the original exactly as it was: triggers dropped first, then the new
// table, and the application's writes keep working.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class AbortTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_60000");
    checksum_before_ = TableChecksum(*db_, "t");
    create_before_ = Rows(*db_, "SHOW CREATE TABLE t");
  }

  // Starts a slow copy (tiny chunks) and returns once the new table has received rows.
  Background StartAndWaitForCopy(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--alter",      "ADD COLUMN w INT NULL",
                                     "--execute",    "--no-attempt-instant",
                                     "--chunk-size", "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    Background bg = StartShadowalter(args);
    const bool copying = WaitUntil([&] {
      return TableExists(*db_, "_t_new") && Scalar(*db_, "SELECT COUNT(*) FROM _t_new") != "0";
    });
    if (copying) return bg;
    ADD_FAILURE() << "the copy never started";
    return bg;
  }

  void ExpectOriginalIntact() {
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
    EXPECT_EQ(Rows(*db_, "SHOW CREATE TABLE t"), create_before_);
    EXPECT_EQ(TableChecksum(*db_, "t"), checksum_before_);
    // Writes still work: no trigger was left pointing at a dropped table.
    Exec(*db_, "INSERT INTO t VALUES (1000001, 'after abort')");
    Exec(*db_, "UPDATE t SET v = 'x' WHERE id = 1");
    Exec(*db_, "DELETE FROM t WHERE id = 2");
  }

  // Kills, server-side as a network failure would, the first connection of this test's schema
  // whose processlist row matches `condition`, looking up to `tries` times.
  bool KillConnectionRunning(const std::string& condition, int tries) {
    auto admin = ConnectPrimary();
    if (!admin) return false;
    for (int i = 0; i < tries; ++i) {
      const std::string id =
          Scalar(*admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + schema_ +
                             "' AND " + condition + " AND ID <> CONNECTION_ID() LIMIT 1");
      if (id != "NULL" && admin->Execute("KILL CONNECTION " + id).ok()) return true;
    }
    return false;
  }

  // A parked run: its triggers, new table and checkpoint are all there.
  void ExpectParked(const RunResult& r, const std::string& signal) {
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("stopped by " + signal), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("shadowalter resume"), std::string::npos) << r.err;
    EXPECT_TRUE(TableExists(*db_, "_t_new"));
    EXPECT_TRUE(TableExists(*db_, "_t_state"));
    EXPECT_EQ(Scalar(*db_,
                     "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                     "TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't'"),
              "3");
  }

  std::string checksum_before_;
  std::vector<std::string> create_before_;
};

TEST_F(AbortTest, SigintDuringCopyCleansUp) {
  Background bg = StartAndWaitForCopy();
  kill(bg.pid, SIGINT);
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("SIGINT"), std::string::npos) << r.err;
  ExpectOriginalIntact();
}

TEST_F(AbortTest, SigtermDuringCopyCleansUp) {
  Background bg = StartAndWaitForCopy();
  kill(bg.pid, SIGTERM);
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("SIGTERM"), std::string::npos) << r.err;
  ExpectOriginalIntact();
}

// A dropped SSH session must not throw the copy away: SIGHUP parks, and resume finishes with
// every write made meanwhile.
TEST_F(AbortTest, SighupDuringCopyParksAndResumeFinishes) {
  Background bg = StartAndWaitForCopy();
  // `status` tells a script what it may do: 7 while the run works...
  RunResult running = RunShadowalter({"status", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(running.exit_code, 7) << running.err;
  kill(bg.pid, SIGHUP);
  ExpectParked(WaitShadowalter(bg), "SIGHUP");
  // ... and 4 once it is parked: resume continues it.
  RunResult parked = RunShadowalter({"status", "--output", "json", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(parked.exit_code, 4) << parked.err;
  EXPECT_NE(parked.out.find("\"verdict\":\"resumable\""), std::string::npos) << parked.out;
  // Parked, the triggers keep the new table current.
  Exec(*db_, "INSERT INTO t VALUES (1000001, 'while parked')");
  Exec(*db_, "UPDATE t SET v = 'changed while parked' WHERE id = 59999");
  Exec(*db_, "DELETE FROM t WHERE id = 3");
  RunResult resumed = RunShadowalter({"resume", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "60000");
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 1000001"), "while parked");
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 59999"), "changed while parked");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE id = 3"), "0");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE w IS NULL"), "60000");
}

// Artifacts no checkpoint explains need a person: `status` exits 3, and 0 once they are gone.
TEST_F(AbortTest, StatusOfLeftoversWithoutACheckpointNeedsAPerson) {
  Exec(*db_, "CREATE TABLE _t_new LIKE t");
  RunResult leftovers = RunShadowalter({"status", "--output", "json", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(leftovers.exit_code, 3) << leftovers.err;
  EXPECT_NE(leftovers.out.find("\"verdict\":\"needs_a_person\""), std::string::npos)
      << leftovers.out;
  Exec(*db_, "DROP TABLE _t_new");
  RunResult nothing = RunShadowalter({"status", "--output", "json", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_NE(nothing.out.find("\"verdict\":\"nothing\""), std::string::npos) << nothing.out;
}

// --on-signal park: SIGINT and SIGTERM park too; cleanup then leaves the original as it was.
TEST_F(AbortTest, SigintWithOnSignalParkParks) {
  Background bg = StartAndWaitForCopy({"--on-signal", "park"});
  kill(bg.pid, SIGINT);
  ExpectParked(WaitShadowalter(bg), "SIGINT");
  RunResult cleaned = RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  ExpectOriginalIntact();
}

TEST_F(AbortTest, SigtermWithOnSignalParkParks) {
  Background bg = StartAndWaitForCopy({"--on-signal", "park"});
  kill(bg.pid, SIGTERM);
  ExpectParked(WaitShadowalter(bg), "SIGTERM");
  RunResult cleaned = RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  ExpectOriginalIntact();
}

// --panic-file: its appearance aborts the copy at the next chunk, with full cleanup.
TEST_F(AbortTest, APanicFileDuringCopyCleansUp) {
  const std::string panic = "/tmp/sa_panic_" + schema_;
  std::remove(panic.c_str());
  Background bg = StartAndWaitForCopy({"--panic-file", panic});
  std::ofstream(panic) << "stop\n";
  RunResult r = WaitShadowalter(bg);
  std::remove(panic.c_str());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("panic file"), std::string::npos) << r.err;
  ExpectOriginalIntact();
}

// A killed connection is not an abort: the run reconnects and finishes (see resume_test.cc for
// the run parking when the primary stays away).
TEST_F(AbortTest, LostConnectionIsReconnectedNotAborted) {
  Background bg = StartAndWaitForCopy();
  // Kill the connection working on the new table server-side, as a network failure would.
  ASSERT_TRUE(KillConnectionRunning("INFO LIKE '%\\_t\\_new%'", 2000))
      << "could not find the copy's connection";
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("reconnected after"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "60000");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE v = CONCAT('value ', id) AND w IS NULL"),
            "60000");
}

// Verification reads on two sessions; a stop request while it runs still ends the run with full
// cleanup and the original untouched.
TEST_F(AbortTest, SigtermDuringVerificationCleansUp) {
  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--no-attempt-instant",
                        "--chunk-size", "20", PrimaryDsn(schema_, "t")});
  // The copy is done once the checkpoint says so; verification then walks 3000 small chunks.
  const bool verifying = WaitUntil(
      [&] {
        return TableExists(*db_, "_t_state") &&
               Scalar(*db_, "SELECT phase FROM _t_state") == "copied";
      },
      120000);
  ASSERT_TRUE(verifying) << "the copy never finished";
  kill(bg.pid, SIGTERM);
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("SIGTERM"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("verified: both tables hold the same"), std::string::npos) << r.err;
  ExpectOriginalIntact();
}

// Losing the verification's second connection is reconnected like any other: the verification
// starts over and the run finishes.
TEST_F(AbortTest, LostVerificationReaderIsReconnectedNotAborted) {
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_60001_to_300000");
  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--no-attempt-instant",
                        "--chunk-size", "300000", PrimaryDsn(schema_, "t")});
  // The chunk of 300000 rows is compared as two ranges at once; only the second session's has a
  // lower bound.
  ASSERT_TRUE(
      KillConnectionRunning("INFO LIKE '%COUNT(CASE WHEN%' AND INFO LIKE '%(o.`id` > %'", 200000))
      << "could not find the verification's reader";
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("reconnected after"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("verified: both tables hold the same 300000 rows"), std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE v = CONCAT('value ', id) AND w IS NULL"),
            "300000");
}

}  // namespace
}  // namespace shadowalter::testing
