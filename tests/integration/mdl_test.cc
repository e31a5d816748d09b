// Metadata-lock safety: a transaction holding the table makes CREATE TRIGGER wait only
// --lock-wait-timeout per try; the tool names the blocker, retries, succeeds once the blocker
// commits, or gives up cleanly after --tries. And the copy never waits for a lock on the new
// table while it holds the original's rows, so no cycle across lock kinds can hold the
// application.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class MetadataLockTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_2000");
    blocker_ = ConnectPrimary(schema_);
    ASSERT_TRUE(blocker_);
    // An open transaction that has read the table holds its metadata lock until it ends.
    Exec(*blocker_, "START TRANSACTION");
    Exec(*blocker_, "SELECT COUNT(*) FROM t");
  }
  std::unique_ptr<Session> blocker_;

  // A run held at its cut-over, released while `read` (of the new table, e.g. SELECT SLEEP(n)
  // FROM _t_new) runs on a session of its own and an application inserts into t, one row per
  // transaction, until the run ends.
  struct SwapUnderRead {
    RunResult run;
    int inserted = 0;  // the application's committed inserts
    uint64_t reader_id = 0;
  };
  SwapUnderRead SwapWhileReading(const std::string& read, const std::string& lock_wait_timeout) {
    SwapUnderRead out;
    Exec(*blocker_, "COMMIT");
    const std::string flag = "/tmp/sa_mdl_reader_" + schema_;
    Background bg;
    EXPECT_TRUE(
        StartHeldAtCutover({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                            "--lock-wait-timeout", lock_wait_timeout, PrimaryDsn(schema_, "t")},
                           flag, bg));
    std::unique_ptr<Session> reader = ConnectPrimary(schema_);
    if (!reader) return out;
    out.reader_id = reader->connection_id();
    std::thread reading([&] { (void)reader->Execute(read); });
    EXPECT_TRUE(WaitUntil([&] {
      return Scalar(*db_, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " +
                              std::to_string(out.reader_id) + " AND INFO LIKE 'SELECT SLEEP%'") ==
             "1";
    }));
    std::atomic<bool> stop{false};
    std::atomic<int> inserted{0};
    std::thread writer([&] {
      std::unique_ptr<Session> app = ConnectPrimary(schema_);
      for (int i = 0; app && !stop; ++i) {
        if (app->Execute("INSERT INTO t (id, v) VALUES (" + std::to_string(100000 + i) + ", 'w')")
                .ok()) {
          ++inserted;
        }
      }
    });
    std::remove(flag.c_str());
    out.run = WaitShadowalter(bg);
    stop = true;
    writer.join();
    reading.join();
    out.inserted = inserted.load();
    return out;
  }

  std::string ColumnW() {
    return Scalar(*db_,
                  "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'");
  }
};

TEST_F(MetadataLockTest, GivesUpCleanlyAndNamesTheBlocker) {
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                      "--lock-wait-timeout", "1", "--tries", "2", PrimaryDsn(schema_, "t")});
  Exec(*blocker_, "COMMIT");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("held by connection " + std::to_string(blocker_->connection_id())),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("gave up after 2 tries"), std::string::npos) << r.err;
  // Named before the first try as well (the sandbox loads METADATA_LOCK_INFO, which shows a
  // transaction that has held the table for less than a second).
  EXPECT_NE(r.err.find("before the first try the table is held by connection " +
                       std::to_string(blocker_->connection_id())),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0");
}

// --tries in pt-online-schema-change's form: create_triggers gets its own tries (3, not the
// default 10), and copy_rows, which has no statement here, is named in a warning instead of
// pretending to apply.
TEST_F(MetadataLockTest, TriesPerOperationAsPtOnlineSchemaChangeGivesThem) {
  RunResult r = RunShadowalter(
      {"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant", "--lock-wait-timeout",
       "1", "--tries", "create_triggers:3:0.2,copy_rows:10:0.25", PrimaryDsn(schema_, "t")});
  Exec(*blocker_, "COMMIT");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("try 3 of 3 waited too long for a lock"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gave up after 3 tries"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("try 4 of"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--tries copy_rows: not used"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0");
}

TEST_F(MetadataLockTest, SucceedsOnceTheBlockerCommits) {
  std::thread release([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    (void)blocker_->Execute("COMMIT");
  });
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                      "--lock-wait-timeout", "1", "--tries", "20", PrimaryDsn(schema_, "t")});
  release.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("waited too long for a lock"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "2000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// An application writing to t in autocommit, one UPDATE after another, keeping its longest wait.
class StallMeter {
 public:
  explicit StallMeter(const std::string& schema) : session_(ConnectPrimary(schema)) {
    thread_ = std::thread([this] {
      for (int i = 0; !stop_; ++i) {
        const auto start = std::chrono::steady_clock::now();
        Status s = session_->Execute("UPDATE t SET v = 'w" + std::to_string(i % 7) +
                                     "' WHERE id = " + std::to_string(1 + i % 2000));
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        longest_ms_ = std::max(longest_ms_.load(), ms);
        if (s.ok()) ++writes_;
      }
    });
  }
  ~StallMeter() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  double longest_ms() const { return longest_ms_; }
  int writes() const { return writes_; }

 private:
  std::unique_ptr<Session> session_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<double> longest_ms_{0};
  std::atomic<int> writes_{0};
};

// The bound the tool promises: a writer waits behind a pending metadata lock for at most about
// one --lock-wait-timeout (1 s here); the blocker holds the table for 6 s, which an unbounded
// wait would pass on to the writer.
constexpr double kStallBoundMs = 3000;

TEST_F(MetadataLockTest, WritersWaitAtMostAboutOneLockWaitWhileTriggersAreCreated) {
  StallMeter app(schema_);
  std::thread release([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(6000));
    (void)blocker_->Execute("COMMIT");
  });
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                      "--lock-wait-timeout", "1", "--tries", "30", PrimaryDsn(schema_, "t")});
  release.join();
  app.Stop();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("waited too long for a lock"), std::string::npos) << r.err;
  EXPECT_GT(app.writes(), 10);
  EXPECT_LT(app.longest_ms(), kStallBoundMs);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(MetadataLockTest, WritersWaitAtMostAboutOneLockWaitAtTheSwap) {
  // The blocker of the fixture must not hold up the triggers: end it, and take a new one just
  // before the swap, while the cut-over is postponed.
  Exec(*blocker_, "COMMIT");
  const std::string flag = "/tmp/sa_mdl_swap_" + schema_;
  Background bg;
  ASSERT_TRUE(
      StartHeldAtCutover({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                          "--lock-wait-timeout", "1", "--tries", "30", PrimaryDsn(schema_, "t")},
                         flag, bg));
  Exec(*blocker_, "START TRANSACTION");
  Exec(*blocker_, "SELECT COUNT(*) FROM t");
  StallMeter app(schema_);
  std::remove(flag.c_str());
  std::this_thread::sleep_for(std::chrono::milliseconds(6000));
  Exec(*blocker_, "COMMIT");
  RunResult r = WaitShadowalter(bg);
  app.Stop();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("waited too long for a lock"), std::string::npos) << r.err;
  EXPECT_GT(app.writes(), 10);
  EXPECT_LT(app.longest_ms(), kStallBoundMs);
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "1");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "2000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// --tries swap_tables:2:0.1: the swap behind a held table gives up after its own 2 tries (the
// default would be 10), and the run cleans up, leaving the table as it was, once the blocker
// lets the triggers be dropped.
TEST_F(MetadataLockTest, TheSwapTakesItsOwnTriesInPtOnlineSchemaChangesForm) {
  Exec(*blocker_, "COMMIT");
  const std::string flag = "/tmp/sa_mdl_swap_tries_" + schema_;
  Background bg;
  ASSERT_TRUE(StartHeldAtCutover(
      {"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant", "--lock-wait-timeout",
       "1", "--tries", "swap_tables:2:0.1", PrimaryDsn(schema_, "t")},
      flag, bg));
  Exec(*blocker_, "START TRANSACTION");
  Exec(*blocker_, "SELECT COUNT(*) FROM t");
  std::remove(flag.c_str());
  // Two tries of 1 s each and a 0.1 s pause fit well inside; the cleanup that follows keeps
  // trying (at least 30 times) until the blocker is gone.
  std::this_thread::sleep_for(std::chrono::milliseconds(5000));
  Exec(*blocker_, "COMMIT");
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("try 2 of 2 waited too long for a lock"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gave up after 2 tries"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "2000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A session reading the new table when the swap comes (a dump, a long query) holds its metadata
// lock: the RENAME would wait there, not yet for the table, and unlocking the table would let
// writes in while it has no triggers: they would stay behind in the old table. The run stops
// instead, naming the reader, with every write in the original, which stays the table.
TEST_F(MetadataLockTest, AReaderOfTheNewTableAtTheSwapStopsTheRunLosingNothing) {
  const SwapUnderRead r = SwapWhileReading("SELECT SLEEP(6) FROM _t_new LIMIT 1", "1");
  EXPECT_EQ(r.run.exit_code, 1) << r.run.err;
  EXPECT_NE(r.run.err.find("the new table is held by connection " + std::to_string(r.reader_id)),
            std::string::npos)
      << r.run.err;
  EXPECT_GT(r.inserted, 0);
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), std::to_string(2000 + r.inserted));
  EXPECT_EQ(ColumnW(), "0");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A short read of the new table at the swap is waited out (at most one lock wait): the swap goes
// through with every write the application made meanwhile.
TEST_F(MetadataLockTest, AShortReadOfTheNewTableAtTheSwapIsWaitedOut) {
  const SwapUnderRead r = SwapWhileReading("SELECT SLEEP(1.5) FROM _t_new LIMIT 1", "5");
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), std::to_string(2000 + r.inserted));
  EXPECT_EQ(ColumnW(), "1");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A DDL queued on the table while the swap waits for its lock runs before the swap's lock, or in
// the instant the lock is handed from one session to the other: a TRUNCATE fires no trigger, and
// swapped away it would be undone. The swap sees the table's new InnoDB id and stops, nothing
// swapped; the TRUNCATE stands.
TEST_F(MetadataLockTest, ADdlThatRunsInsideTheSwapIsNotSwappedAway) {
  Exec(*blocker_, "COMMIT");
  const std::string flag = "/tmp/sa_mdl_truncate_" + schema_;
  Background bg;
  ASSERT_TRUE(
      StartHeldAtCutover({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                          "--lock-wait-timeout", "10", PrimaryDsn(schema_, "t")},
                         flag, bg));
  // The blocker holds the table while the swap's LOCK TABLES and then the TRUNCATE queue.
  Exec(*blocker_, "START TRANSACTION");
  Exec(*blocker_, "SELECT COUNT(*) FROM t");
  std::remove(flag.c_str());
  const std::string waiting =
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND STATE = "
      "'Waiting for table metadata lock' AND INFO LIKE ";
  ASSERT_TRUE(WaitUntil([&] { return Scalar(*db_, waiting + "'LOCK TABLES%'") == "1"; }));
  std::unique_ptr<Session> truncator = ConnectPrimary(schema_);
  ASSERT_TRUE(truncator);
  Status truncated;
  std::thread truncate([&] { truncated = truncator->Execute("TRUNCATE TABLE t"); });
  ASSERT_TRUE(WaitUntil([&] { return Scalar(*db_, waiting + "'TRUNCATE%'") == "1"; }));
  Exec(*blocker_, "COMMIT");
  RunResult r = WaitShadowalter(bg);
  truncate.join();
  EXPECT_TRUE(truncated.ok()) << truncated.message();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Whichever of the two gets the table first when the blocker ends (both queued on it), the
  // swap sees the TRUNCATE: under its first lock or under the second.
  EXPECT_NE(r.err.find("truncated or rebuilt"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "0");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// Someone drops a column of the table while the cut-over is postponed: the mirror triggers name
// it, so every INSERT and UPDATE of the application would fail until the swap. The wait ends
// within about a second instead, the triggers go, and the application's writes work again.
TEST_F(MetadataLockTest, ADroppedColumnDuringAPostponedCutoverEndsTheWait) {
  Exec(*blocker_, "COMMIT");
  Exec(*db_, "ALTER TABLE t ADD COLUMN extra INT NULL");
  const std::string flag = "/tmp/sa_mdl_dropcol_" + schema_;
  Background bg;
  ASSERT_TRUE(StartHeldAtCutover({"--alter", "ADD COLUMN w INT", "--execute",
                                  "--no-attempt-instant", PrimaryDsn(schema_, "t")},
                                 flag, bg));
  Exec(*db_, "ALTER TABLE t DROP COLUMN extra");
  RunResult r = WaitShadowalter(bg);  // with the flag still there
  std::remove(flag.c_str());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("was changed by someone else's DDL during the run"), std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  Exec(*db_, "INSERT INTO t (id, v) VALUES (999999, 'after')");
  Exec(*db_, "UPDATE t SET v = 'again' WHERE id = 1");
}

// The cycle no deadlock detector sees: the copy's transaction share-locks the original's first
// rows, then needs a metadata lock on the new table; a `LOCK TABLES _t_new WRITE` queued there
// waits for an application transaction that wrote the table through a trigger; that transaction
// then updates one of the rows the copy holds. InnoDB sees one row-lock wait, the metadata-lock
// subsystem two lock waits, neither the cycle. A copy that waits for the metadata lock holds the
// application until its innodb_lock_wait_timeout (20 s here) fails its UPDATE; a copy that
// doesn't wait rolls back at once, retries, and the UPDATE goes through.
class CopyLockWaitTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    char dir[] = "/tmp/sa_copy_lock.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    // Holds the run after the triggers exist and before the copy, until the test says go.
    const std::string hook = dir_ + "/before-copy";
    std::ofstream(hook) << "#!/bin/sh\ntouch '" << dir_ << "/at_copy'\n"
                        << "while [ ! -e '" << dir_ << "/go' ]; do sleep 0.05; done\n";
    chmod(hook.c_str(), 0755);
  }
  void TearDown() override {
    if (!dir_.empty()) (void)std::system(("rm -rf '" + dir_ + "'").c_str());
    SandboxTest::TearDown();
  }

  // Sessions of this schema other than `exclude` whose state is a metadata-lock wait, running
  // a statement whose text starts with `prefix`.
  int WaitingOnMetadataLock(const std::string& prefix, const std::vector<uint64_t>& exclude) {
    std::string ids;
    for (uint64_t id : exclude) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    return std::stoi(Scalar(*db_,
                            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = "
                            "DATABASE() AND STATE = 'Waiting for table metadata lock' AND "
                            "INFO LIKE '" +
                                prefix + "%' AND ID NOT IN (" + ids + ")"));
  }

  std::string dir_;
};

TEST_F(CopyLockWaitTest, ACopyWaitingOnTheNewTableNeverHoldsTheApplication) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, seq FROM seq_1_to_3000");
  Background bg = StartShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                    "--no-attempt-instant", "--chunk-size", "1000", "--statistics",
                                    "--hook-dir", dir_, PrimaryDsn(schema_, "t")});
  const bool at_copy = WaitUntil([&] { return access((dir_ + "/at_copy").c_str(), F_OK) == 0; });
  if (!at_copy) std::ofstream(dir_ + "/go");
  ASSERT_TRUE(at_copy) << WaitShadowalter(bg).err;

  // The application's transaction writes the table (the trigger opens the new table too), on a
  // row the copy's first transaction does not cover.
  std::unique_ptr<Session> app = ConnectPrimary(schema_);
  Exec(*app, "SET SESSION innodb_lock_wait_timeout = 20");
  Exec(*app, "START TRANSACTION");
  Exec(*app, "UPDATE t SET v = v + 1 WHERE id = 3000");
  // Someone queues a write lock on the new table; it waits for the application's transaction,
  // and every later request for the new table waits behind it.
  std::unique_ptr<Session> locker = ConnectPrimary(schema_);
  Exec(*locker, "SET SESSION lock_wait_timeout = 120");
  Status locked;
  std::thread lock_thread([&] {
    locked = locker->Execute("LOCK TABLES _t_new WRITE");
    if (locked.ok()) {
      // Held a moment while the copy runs, then released.
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      (void)locker->Execute("UNLOCK TABLES");
    }
  });
  const std::vector<uint64_t> ours = {db_->connection_id(), app->connection_id(),
                                      locker->connection_id()};
  EXPECT_TRUE(WaitUntil([&] {
    return std::stoi(Scalar(*db_,
                            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID "
                            "= " +
                                std::to_string(locker->connection_id()) +
                                " AND STATE = 'Waiting for table metadata lock'")) == 1;
  }));
  std::ofstream(dir_ + "/go");
  // A copy that waits for the new table shows up waiting here, holding its first rows; one
  // that does not wait may never be seen, and the test goes on after a while all the same.
  (void)WaitUntil(
      [&] {
        return WaitingOnMetadataLock("INSERT", ours) + WaitingOnMetadataLock("SELECT", ours) > 0;
      },
      10000);
  // A row of the copy's first transaction: waits at most for one short copy statement.
  Status updated = app->Execute("UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_TRUE(updated.ok()) << "the application's UPDATE was held by the copy: "
                            << updated.message();
  Exec(*app, updated.ok() ? "COMMIT" : "ROLLBACK");
  lock_thread.join();
  EXPECT_TRUE(locked.ok()) << locked.message();

  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("verified: both tables hold the same 3000 rows"), std::string::npos)
      << r.err;
  // The copy's waits ended at once and were retried, counted like any other lock conflict.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex("chunk retries: +([0-9]+)"))) << r.err;
  EXPECT_GT(std::stoul(m[1].str()), 0u) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
  const std::string expected_sum = updated.ok() ? "4501502" : "4501500";
  EXPECT_EQ(Scalar(*db_, "SELECT SUM(v) FROM t"), expected_sum);
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "1");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
