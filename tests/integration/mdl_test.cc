// Metadata-lock safety: a transaction holding the table makes CREATE TRIGGER wait only
// --lock-wait-timeout per try; the tool names the blocker, retries, succeeds once the blocker
// commits, or gives up cleanly after --tries.
#include <gtest/gtest.h>

#include <chrono>
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

}  // namespace
}  // namespace shadowalter::testing
