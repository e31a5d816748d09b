// The sandbox primary restarted in the middle of a copy: the run reconnects once the server is
// back and finishes (or, if the outage outlasts --reconnect-timeout, parks and resume finishes),
// never losing a row. Serial: it stops the server every other test uses.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

std::string SandboxDir() {
  const char* dir = std::getenv("SHADOWALTER_SANDBOX_DIR");
  return dir != nullptr ? dir : std::string(SHADOWALTER_SOURCE_DIR) + "/.sandbox";
}

// Waits until the run's checkpoint says some rows are copied.
bool CopyHasStarted(const std::string& schema) {
  auto admin = ConnectPrimary();
  return WaitUntil([&] {
    return Scalar(*admin, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                              QuoteString(schema) + " AND TABLE_NAME = '_t_state'") == "1" &&
           Scalar(*admin, "SELECT rows_copied > 0 FROM " + QualifiedName(schema, "_t_state")) ==
               "1";
  });
}

class RestartTest : public SandboxTest {};

// Stops the primary (SIGTERM: a clean shutdown) and waits until it is gone.
void StopPrimary() {
  const std::string pid_text = ReadFileText(SandboxDir() + "/primary/mysqld.pid");
  const pid_t pid = static_cast<pid_t>(std::atol(pid_text.c_str()));
  ASSERT_GT(pid, 0) << pid_text;
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  ASSERT_TRUE(WaitUntil([&] { return kill(pid, 0) != 0; }, 60000)) << "the primary did not stop";
}

void StartSandbox() {
  const std::string start =
      "bash " + std::string(SHADOWALTER_SOURCE_DIR) + "/scripts/sandbox.sh start >/dev/null 2>&1";
  ASSERT_EQ(std::system(start.c_str()), 0);
}

TEST_F(RestartTest, PrimaryRestartedMidCopyLosesNoRow) {
  Exec(*db_,
       "CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
       "v VARCHAR(64) NOT NULL, KEY (k)) ENGINE=InnoDB");
  Exec(*db_, "INSERT INTO t (k, v) SELECT seq % 1000, CONCAT('row', seq) FROM seq_1_to_20000");
  // Over the columns the ALTER keeps: the new table has one more.
  const std::string kSum = "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, k, v))) FROM t";
  const std::vector<std::string> before = Rows(*db_, kSum);
  db_.reset();  // our own session would die with the server too

  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                        "--chunk-size", "20", PrimaryDsn(schema_, "t")});
  ASSERT_TRUE(CopyHasStarted(schema_));
  StopPrimary();
  StartSandbox();

  RunResult r = WaitShadowalter(bg);
  const std::string first_log = r.err;
  if (r.exit_code == 4) {
    // Parked: the outage outlasted the reconnect timeout. resume finishes it.
    r = RunShadowalter({"resume", PrimaryDsn(schema_, "t")});
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(first_log.find("lost the connection to the primary"), std::string::npos) << first_log;
  db_ = ConnectPrimary(schema_);
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'extra'"),
            "1");
  EXPECT_EQ(Rows(*db_, kSum), before);
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
  WaitForReplica();
}

// The primary stays away longer than --reconnect-timeout: the run parks with its checkpoint
// (exit 4) instead of leaving untracked artifacts, and resume finishes once it is back.
TEST_F(RestartTest, PrimaryGoneLongerThanTheReconnectTimeoutParks) {
  Exec(*db_,
       "CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64) NOT "
       "NULL) ENGINE=InnoDB");
  Exec(*db_, "INSERT INTO t (v) SELECT CONCAT('row', seq) FROM seq_1_to_20000");
  const std::string kSum = "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, v))) FROM t";
  const std::vector<std::string> before = Rows(*db_, kSum);
  db_.reset();
  Background bg = StartShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute",
                                    "--no-attempt-instant", "--chunk-size", "20",
                                    "--reconnect-timeout", "1", PrimaryDsn(schema_, "t")});
  ASSERT_TRUE(CopyHasStarted(schema_));
  StopPrimary();
  RunResult parked = WaitShadowalter(bg);
  StartSandbox();
  ASSERT_EQ(parked.exit_code, 4) << parked.err;
  EXPECT_NE(parked.err.find("stayed unreachable"), std::string::npos) << parked.err;
  RunResult resumed = RunShadowalter({"resume", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  db_ = ConnectPrimary(schema_);
  EXPECT_EQ(Rows(*db_, kSum), before);
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
  WaitForReplica();
}

}  // namespace
}  // namespace shadowalter::testing
