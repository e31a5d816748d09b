// Metadata-lock safety: a transaction holding the table makes CREATE TRIGGER wait only
// --lock-wait-timeout per try; the tool names the blocker, retries, succeeds once the blocker
// commits, or gives up cleanly after --tries.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
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
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
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

}  // namespace
}  // namespace shadowalter::testing
